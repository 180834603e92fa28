package io.panicmode.config;

import java.util.List;
import java.util.Set;

/**
 * Built-in anomalies. {@code enabled: false} turns all off; {@code disabled} lists single ones:
 * cpu_spike, high_load, memory_exhaustion, connection_flood, coordinated_attack.
 */
public record AnomalyConfig(
    @Default("true") boolean enabled,
    @Default("[]") List<String> disabled,
    @Default("95.0") double cpuSpikeThreshold,
    @Default("95.0") double memorySpikeThreshold,
    @Default("50.0") double memorySwapThreshold,
    @Default("10000") long connectionSpikeThreshold,
    @Default("3") int suspiciousIpThreshold,
    @Default("10.0") double highLoadThreshold,
    @Default("50") int suspiciousConnectionsPerIp) {

  /** The built-in anomalies by name: what {@code disabled} may list (the detector's registry has exactly these). */
  public static final Set<String> NAMES =
      Set.of("cpu_spike", "high_load", "memory_exhaustion", "connection_flood", "coordinated_attack");
}
