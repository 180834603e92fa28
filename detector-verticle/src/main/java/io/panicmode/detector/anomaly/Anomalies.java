package io.panicmode.detector.anomaly;

import io.panicmode.config.ActionKind;
import io.panicmode.config.AnomalyConfig;
import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.net.BanRules;
import java.util.ArrayList;
import java.util.List;

/** The registry of built-in anomalies, filtered by {@code anomaly.enabled} and {@code anomaly.disabled}. */
public final class Anomalies {
  private Anomalies() {}

  public static List<Anomaly> enabled(AnomalyConfig a, double hysteresisPercent, BanRules ips) {
    if (!a.enabled()) return List.of();
    List<Anomaly> all = List.of(
        new GaugeThreshold("cpu_spike", MetricNames.CPU_USAGE, a.cpuSpikeThreshold(), hysteresisPercent,
            List.of("alert_critical", "freeze_top_process")),
        new GaugeThreshold("high_load", MetricNames.LOAD_AVERAGE, a.highLoadThreshold(), hysteresisPercent,
            List.of(ActionKind.ALERT_CRITICAL.wire(), ActionKind.SNAPSHOT.wire())),
        new MemoryExhaustion(a.memorySpikeThreshold(), a.memorySwapThreshold(), hysteresisPercent),
        new ConnectionFlood(a.connectionSpikeThreshold(), a.suspiciousConnectionsPerIp(), hysteresisPercent, ips),
        new CoordinatedAttack(a.suspiciousConnectionsPerIp(), a.suspiciousIpThreshold(), hysteresisPercent, ips));
    List<Anomaly> out = new ArrayList<>();
    for (Anomaly x : all) if (!a.disabled().contains(x.name())) out.add(x);
    return out;
  }
}
