package io.panicmode.detector.anomaly;

import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;

/** cpu_usage &gt;= anomaly.cpu_spike_threshold: alert and freeze the top process. */
public final class CpuSpike implements Anomaly {
  private final double threshold;
  private final double margin;

  public CpuSpike(double threshold, double hysteresisPercent) {
    this.threshold = threshold;
    this.margin = threshold * hysteresisPercent / 100.0;
  }

  @Override public String name() { return "cpu_spike"; }
  @Override public double threshold() { return threshold; }
  @Override public List<String> actions() { return List.of("alert_critical", "freeze_top_process"); }

  @Override
  public void evaluate(MetricsSnapshot s, Sink sink) {
    Double v = s.gauge(MetricNames.CPU_USAGE);
    if (v != null) sink.accept("", v, v >= threshold, v < threshold - margin);
  }

  @Override
  public Subjects subjects(List<String> keys, MetricsSnapshot s) { return Subjects.NONE; }
}
