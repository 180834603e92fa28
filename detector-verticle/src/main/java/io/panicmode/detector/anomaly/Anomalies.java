package io.panicmode.detector.anomaly;

import io.panicmode.config.AnomalyConfig;
import io.panicmode.contracts.net.BanRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The registry of built-in anomalies, filtered by {@code anomaly.enabled} and {@code anomaly.disabled}. */
public final class Anomalies {
  private Anomalies() {}

  public static final Set<String> NAMES =
      Set.of("cpu_spike", "high_load", "memory_exhaustion", "connection_flood", "coordinated_attack");

  public static List<Anomaly> enabled(AnomalyConfig a, double hysteresisPercent, BanRules ips) {
    if (!a.enabled()) return List.of();
    List<Anomaly> all = List.of(
        new CpuSpike(a.cpuSpikeThreshold(), hysteresisPercent),
        new HighLoad(a.highLoadThreshold(), hysteresisPercent),
        new MemoryExhaustion(a.memorySpikeThreshold(), a.memorySwapThreshold(), hysteresisPercent),
        new ConnectionFlood(a.connectionSpikeThreshold(), a.suspiciousConnectionsPerIp(), hysteresisPercent, ips),
        new CoordinatedAttack(a.suspiciousConnectionsPerIp(), a.suspiciousIpThreshold(), hysteresisPercent, ips));
    List<Anomaly> out = new ArrayList<>();
    for (Anomaly x : all) if (!a.disabled().contains(x.name())) out.add(x);
    return out;
  }
}
