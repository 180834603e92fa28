package io.panicmode.detector.anomaly;

import io.panicmode.config.ActionKind;
import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import io.panicmode.contracts.net.BanRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Established connections &gt; anomaly.connection_spike_threshold (strict, as the Rust daemon).
 * Its block_ip / rate_limit act on the blockable remote IPs holding at least
 * anomaly.suspicious_connections_per_ip connections, largest first, at most {@link #MAX_IPS}.
 */
public final class ConnectionFlood implements Anomaly {
  static final int MAX_IPS = 100;

  private final double threshold;
  private final double margin;
  private final int perIp;
  private final BanRules ips;

  public ConnectionFlood(long threshold, int perIp, double hysteresisPercent, BanRules ips) {
    this.threshold = threshold;
    this.margin = threshold * hysteresisPercent / 100.0;
    this.perIp = perIp;
    this.ips = ips;
  }

  @Override public String name() { return "connection_flood"; }
  @Override public double threshold() { return threshold; }
  @Override public String comparator() { return ">"; }
  @Override public List<String> actions() { return List.of(ActionKind.BLOCK_IP.wire(), ActionKind.RATE_LIMIT.wire(), ActionKind.ALERT_CRITICAL.wire()); }

  @Override
  public void evaluate(MetricsSnapshot s, Sink sink) {
    Double v = s.gauge(MetricNames.CONNECTIONS_TOTAL);
    if (v != null) sink.accept("", v, v > threshold, v <= threshold - margin);
  }

  @Override
  public Subjects subjects(List<String> keys, MetricsSnapshot s) {
    List<Map.Entry<String, Double>> heavy = new ArrayList<>();
    for (Map.Entry<String, Double> e : s.series(MetricNames.CONNECTIONS_PER_IP).entrySet()) {
      if (e.getValue() != null && e.getValue() >= perIp && ips.blockable(e.getKey())) heavy.add(e);
    }
    heavy.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < heavy.size() && i < MAX_IPS; i++) out.add(heavy.get(i).getKey());
    return Subjects.ofIps(out);
  }
}
