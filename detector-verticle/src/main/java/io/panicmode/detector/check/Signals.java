package io.panicmode.detector.check;

import io.panicmode.config.CustomRuleMetric;
import io.panicmode.config.MonitorRule;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.MetricNames;

/** The registry: which {@link Signal} feeds a rule of each monitor type. */
public final class Signals {
  private Signals() {}

  /** The signal of a snapshot-fed rule; auth_failures rules are fed by auth events, not here. */
  public static Signal forRule(MonitorRule rule, PanicConfig cfg) {
    return switch (rule.type()) {
      case CPU_USAGE -> new GaugeSignal(MetricNames.CPU_USAGE);
      case MEMORY_USAGE -> new GaugeSignal(MetricNames.MEMORY_USAGE);
      case SWAP_USAGE -> new GaugeSignal(MetricNames.SWAP_USAGE);
      case LOAD_AVERAGE -> new GaugeSignal(MetricNames.LOAD_AVERAGE);
      case PROCESS_COUNT -> new GaugeSignal(MetricNames.PROCESS_COUNT);
      case CONNECTION_RATE -> new GaugeSignal(MetricNames.CONNECTION_RATE);
      case DISK_USAGE -> new DiskUsageSignal(rule.paths());
      case DISK_IO -> new DiskIoSignal(rule.paths());
      case CUSTOM -> new CustomSignal(CustomRuleMetric.of(rule, cfg.customMetrics()));
      case FILE_MONITOR -> {
        long agg = cfg.fileMonitor().aggregationWindow().toMillis();
        long window = rule.window() == null ? agg : rule.window().toMillis();
        yield new FileEventsSignal(rule.paths(), window, agg);
      }
      case AUTH_FAILURES -> throw new IllegalArgumentException("auth_failures rules are fed by auth events");
    };
  }
}
