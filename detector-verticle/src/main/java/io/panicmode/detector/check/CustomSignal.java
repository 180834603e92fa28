package io.panicmode.detector.check;

import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;
import java.util.function.BiConsumer;

/** A custom rule reads one {@code custom} series entry: the metric {@link io.panicmode.config.CustomRuleMetric} names. */
public final class CustomSignal implements Signal {
  private final String metric;

  public CustomSignal(String metric) { this.metric = metric; }

  @Override
  public void read(MetricsSnapshot snapshot, BiConsumer<String, Double> out) {
    Double v = snapshot.series(MetricNames.CUSTOM).get(metric);
    if (v != null && Double.isFinite(v)) out.accept(metric, v);
  }

  @Override
  public Subjects subjects(List<String> keys) { return Subjects.NONE.withMetrics(keys); }
}
