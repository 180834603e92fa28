package io.panicmode.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which custom metric a {@code custom} rule reads: its {@code metric:} key when given; else the
 * {@code custom_metrics} entry named like the rule (what the original did); else, when there is
 * exactly one custom metric, that one. The last case keeps configs written from the original's
 * guide working (its "Monitor a custom metric" example names the rule {@code queue_backed_up}
 * and the metric {@code app_queue_depth}), and is reported as an assumption so the operator can
 * write {@code metric:} and stop relying on it.
 */
public final class CustomRuleMetric {
  private CustomRuleMetric() {}

  /** The metric the rule reads, or null when none can be told (a config error). */
  public static String of(MonitorRule rule, Map<String, CustomMetricConfig> metrics) {
    if (rule.metric() != null) return rule.metric();
    if (metrics.containsKey(rule.name())) return rule.name();
    return metrics.size() == 1 ? metrics.keySet().iterator().next() : null;
  }

  /** One line per custom rule whose metric was assumed rather than named. */
  public static List<String> assumptions(PanicConfig cfg) {
    List<String> out = new ArrayList<>();
    for (MonitorRule r : cfg.monitors()) {
      if (r.type() != MonitorType.CUSTOM || r.metric() != null || cfg.customMetrics().containsKey(r.name())) continue;
      String metric = of(r, cfg.customMetrics());
      if (metric != null) {
        out.add("custom rule \"" + r.name() + "\" has no metric: key and no custom_metrics entry of its name; it reads \""
            + metric + "\", the only custom metric (write metric: " + metric + " to say so)");
      }
    }
    return out;
  }
}
