package io.panicmode.detector.anomaly;

import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;

/** 1-minute load average &gt;= anomaly.high_load_threshold: alert and take a snapshot. */
public final class HighLoad implements Anomaly {
  private final double threshold;
  private final double margin;

  public HighLoad(double threshold, double hysteresisPercent) {
    this.threshold = threshold;
    this.margin = threshold * hysteresisPercent / 100.0;
  }

  @Override public String name() { return "high_load"; }
  @Override public double threshold() { return threshold; }
  @Override public List<String> actions() { return List.of("alert_critical", "snapshot"); }

  @Override
  public void evaluate(MetricsSnapshot s, Sink sink) {
    Double v = s.gauge(MetricNames.LOAD_AVERAGE);
    if (v != null) sink.accept("", v, v >= threshold, v < threshold - margin);
  }

  @Override
  public Subjects subjects(List<String> keys, MetricsSnapshot s) { return Subjects.NONE; }
}
