package io.panicmode.detector.anomaly;

import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;

/**
 * A host-wide gauge at or above its threshold (cpu_spike on cpu_usage, high_load on the 1-minute
 * load average), resolved once it falls below the threshold by the hysteresis margin.
 */
final class GaugeThreshold implements Anomaly {
  private final String name;
  private final String metric;
  private final double threshold;
  private final double margin;
  private final List<String> actions;

  GaugeThreshold(String name, String metric, double threshold, double hysteresisPercent, List<String> actions) {
    this.name = name;
    this.metric = metric;
    this.threshold = threshold;
    this.margin = threshold * hysteresisPercent / 100.0;
    this.actions = List.copyOf(actions);
  }

  @Override public String name() { return name; }
  @Override public double threshold() { return threshold; }
  @Override public List<String> actions() { return actions; }

  @Override
  public void evaluate(MetricsSnapshot s, Sink sink) {
    Double v = s.gauge(metric);
    if (v != null) sink.accept("", v, v >= threshold, v < threshold - margin);
  }

  @Override
  public Subjects subjects(List<String> keys, MetricsSnapshot s) { return Subjects.NONE; }
}
