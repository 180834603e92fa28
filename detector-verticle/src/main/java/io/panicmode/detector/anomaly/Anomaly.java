package io.panicmode.detector.anomaly;

import io.panicmode.detector.check.Check;

/**
 * A built-in anomaly: a {@link Check} with a fixed name, its built-in action list and a threshold
 * from the {@code anomaly} config section. Anomalies fire at the threshold itself ({@code >=}),
 * as the Rust daemon did, except where its comparison was strict (noted per class).
 */
public interface Anomaly extends Check {
  @Override
  default String monitorType() { return "anomaly"; }

  @Override
  default long durationMs() { return 0; }

  @Override
  default String comparator() { return ">="; }
}
