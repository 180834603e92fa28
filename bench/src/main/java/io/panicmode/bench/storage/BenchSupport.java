package io.panicmode.bench.storage;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.Subjects;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Shared helpers of the storage benchmarks. */
final class BenchSupport {
  private BenchSupport() {}

  static PanicConfig config(Path db, int port) throws Exception {
    return ConfigLoader.parse("""
        node:
          id: bench-host
        storage:
          incident_db: "%s"
        http_api:
          enabled: true
          bind: "127.0.0.1:%d"
        """.formatted(db, port), "bench", Map.of());
  }

  /** Severity and rule vary independently with {@code i}: 10% critical, 30% warning; ten rules. */
  static Incident incident(String id, String host, int i, long firedAt) {
    int s = (i / RULES.length) % 10;
    Severity sev = s == 0 ? Severity.CRITICAL : s <= 3 ? Severity.WARNING : Severity.INFO;
    String rule = RULES[i % RULES.length];
    return new Incident(id, host, rule, "cpu_usage", sev, Incident.State.FIRING,
        rule + " exceeded threshold: 97.3 > 80.0", "top: java (pid 4242) 93.1% cpu; load 12.4 8.1 4.0; " + "x".repeat(120),
        97.3, 80.0, Subjects.ofIps(List.of("203.0.113." + (i % 250))), List.of("alert_critical", "block_ip"), firedAt, null);
  }

  static final String[] RULES = {"high_cpu", "ssh_brute_force", "memory_exhaustion", "connection_flood", "disk_full",
      "load_average", "swap_usage", "process_count", "file_change", "custom_queue"};

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
  }

  /** {p50, p99, max} in milliseconds. */
  static double[] percentiles(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new double[] {s[s.length / 2] / 1e6, s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e6,
        s[s.length - 1] / 1e6};
  }

  static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
