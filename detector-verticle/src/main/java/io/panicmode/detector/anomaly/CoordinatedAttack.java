package io.panicmode.detector.anomaly;

import io.panicmode.config.ActionKind;
import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import io.panicmode.contracts.net.BanRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * At least anomaly.suspicious_ip_threshold remote IPs each holding at least
 * anomaly.suspicious_connections_per_ip connections. Evaluated per IP, so the incident's
 * subjects are exactly the suspicious IPs; local, private and whitelisted addresses are never
 * counted nor listed. An IP clears when its count falls below the hysteresis band or when the
 * group (counted with the same band) falls below the IP threshold.
 */
public final class CoordinatedAttack implements Anomaly {
  private final int perIp;
  private final int minIps;
  private final double margin;
  private final BanRules ips;

  public CoordinatedAttack(int perIp, int minIps, double hysteresisPercent, BanRules ips) {
    this.perIp = perIp;
    this.minIps = minIps;
    this.margin = perIp * hysteresisPercent / 100.0;
    this.ips = ips;
  }

  @Override public String name() { return "coordinated_attack"; }
  @Override public double threshold() { return perIp; }
  @Override public List<String> actions() { return List.of(ActionKind.BLOCK_IP.wire(), ActionKind.ALERT_CRITICAL.wire()); }

  @Override
  public void evaluate(MetricsSnapshot s, Sink sink) {
    Map<String, Double> conns = s.series(MetricNames.CONNECTIONS_PER_IP);
    List<Map.Entry<String, Double>> near = new ArrayList<>();
    int strict = 0;
    for (Map.Entry<String, Double> e : conns.entrySet()) {
      Double c = e.getValue();
      if (c == null || c < perIp - margin || !ips.blockable(e.getKey())) continue;
      near.add(e);
      if (c >= perIp) strict++;
    }
    boolean group = strict >= minIps;
    boolean groupGone = near.size() < minIps;
    for (Map.Entry<String, Double> e : near) {
      double c = e.getValue();
      sink.accept(e.getKey(), c, group && c >= perIp, groupGone);
    }
  }

  /** IPs below the band send no observation; when the series is present that means they cleared. */
  @Override
  public boolean coversAllSubjects(MetricsSnapshot s) {
    return s.series().containsKey(MetricNames.CONNECTIONS_PER_IP);
  }

  @Override
  public Subjects subjects(List<String> keys, MetricsSnapshot s) { return Subjects.ofIps(keys); }
}
