package io.panicmode.detector.check;

import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;
import java.util.function.BiConsumer;

/** A host-wide gauge whose name equals the monitor type (cpu_usage, memory_usage, load_average, ...). */
public final class GaugeSignal implements Signal {
  private final String gauge;

  public GaugeSignal(String gauge) { this.gauge = gauge; }

  @Override
  public void read(MetricsSnapshot snapshot, BiConsumer<String, Double> out) {
    Double v = snapshot.gauge(gauge);
    if (v != null && Double.isFinite(v)) out.accept("", v);
  }

  @Override
  public Subjects subjects(List<String> keys) { return Subjects.NONE; }
}
