package io.panicmode.detector.anomaly;

import io.panicmode.config.ActionKind;
import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;

/**
 * memory_usage &gt;= anomaly.memory_spike_threshold and swap_usage &gt; anomaly.memory_swap_threshold
 * (both at once: RAM full while swapping hard). Needs both gauges; clears when either falls back
 * below its band. The value reported is the memory %.
 */
public final class MemoryExhaustion implements Anomaly {
  private final double memThreshold;
  private final double swapThreshold;
  private final double memMargin;
  private final double swapMargin;

  public MemoryExhaustion(double memThreshold, double swapThreshold, double hysteresisPercent) {
    this.memThreshold = memThreshold;
    this.swapThreshold = swapThreshold;
    this.memMargin = memThreshold * hysteresisPercent / 100.0;
    this.swapMargin = swapThreshold * hysteresisPercent / 100.0;
  }

  @Override public String name() { return "memory_exhaustion"; }
  @Override public double threshold() { return memThreshold; }
  @Override public List<String> actions() { return List.of(ActionKind.ALERT_CRITICAL.wire(), ActionKind.SNAPSHOT.wire()); }

  @Override
  public void evaluate(MetricsSnapshot s, Sink sink) {
    Double mem = s.gauge(MetricNames.MEMORY_USAGE);
    Double swap = s.gauge(MetricNames.SWAP_USAGE);
    if (mem == null || swap == null) return;
    boolean over = mem >= memThreshold && swap > swapThreshold;
    boolean cleared = mem < memThreshold - memMargin || swap <= swapThreshold - swapMargin;
    sink.accept("", mem, over, cleared);
  }

  @Override
  public Subjects subjects(List<String> keys, MetricsSnapshot s) { return Subjects.NONE; }
}
