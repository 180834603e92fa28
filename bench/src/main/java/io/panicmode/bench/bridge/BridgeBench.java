package io.panicmode.bench.bridge;

import static io.panicmode.bench.BenchProcess.cpuTicks;
import static io.panicmode.bench.BenchProcess.freePort;
import static io.panicmode.bench.BenchProcess.pct;
import static io.panicmode.bench.BenchProcess.read;
import static io.panicmode.bench.BenchProcess.rssKib;
import static io.panicmode.bench.BenchProcess.waitFor;

import io.panicmode.config.BridgeConfig;
import io.panicmode.config.TlsConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.launcher.bridge.BridgeClient;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.outbox.CentralLink;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many agents over the bridge, one central node. The central node (storage + alert, serving the
 * bridge with mutual TLS) runs from the shaded jar in its own JVM; this JVM simulates
 * {@code agents} agents, each with its own certificate (issued with {@code panicmode certs}), its
 * own bridge connection and its own persistent outbox, sending {@code rate} incidents a second and
 * a heartbeat a second. Churn: {@code churn}% of the agents drop their connection and reconnect
 * every minute, spread evenly. Reports lost incidents, send-to-stored latency (storage acknowledges
 * after commit) and how much of it one delivery's round trip takes (the central side: bridge,
 * TLS, event bus, storage commit), and the central JVM's CPU and RSS. Baseline in the same run: a bare bridge round
 * trip (a request the central bridge refuses at once, so no storage is involved).
 *
 * <p>Usage: {@code BridgeBench JAR WORKDIR [agents=200] [rate=10] [seconds=60] [churn=10]}
 */
public final class BridgeBench {
  private BridgeBench() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      // The simulated agents' Vert.x threads would keep the JVM (and its load) alive.
      Runtime.getRuntime().halt(2);
    }
  }

  private static void run(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path dir = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    int agents = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
    int churn = args.length > 5 ? Integer.parseInt(args[5]) : 10;
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path certs = dir.resolve("certs");
    exec(List.of(javaBin, "-jar", jar.toString(), "certs", "init", "--dir", certs.toString()));
    List<String> issue = new ArrayList<>(List.of(javaBin, "-jar", jar.toString(), "certs", "issue", "--dir", certs.toString(),
        "central"));
    for (int a = 0; a < agents; a++) issue.add(host(a));
    exec(issue);
    String password = Files.readString(certs.resolve("password")).strip();
    int port = freePort();
    Path db = dir.resolve("central/incidents.db");
    Path centralCfg = Files.writeString(dir.resolve("central.yaml"), """
        node: {id: central}
        performance: {memory_limit_mb: 4096, cpu_limit: 100}
        storage: {incident_db: "%s", snapshot_dir: "%s/snap", log_dir: "%s/log", state_file: "%s/state.json"}
        alerts: {critical: [{channel: log}]}
        logging: {file: false}
        firewall: {ctl_socket: "%s/ctl.sock"}
        central:
          bridge:
            listen: true
            port: %d
            tls: {key_store: "%s/central.p12", key_store_password: "%s", trust_store: "%s/truststore.p12", trust_store_password: "%s"}
        """.formatted(db, dir, dir, dir, dir, port, certs, password, certs, password));
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-XX:+UseSerialGC", "-Xmx96m", "-XX:TieredStopAtLevel=1",
        "-Dvertx.disableDnsResolver=true", "-Dio.netty.allocator.type=unpooled", "-jar", jar.toString(), "run", "--config",
        centralCfg.toString(), "--roles", "storage,alert"));
    Process central = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("central.out").toFile()).start();
    Vertx vertx = Vertx.vertx();
    try {
      waitFor(() -> read(dir.resolve("central.out")).contains("PanicMode ready"), 90);
      BridgeClient probe = new BridgeClient(vertx, "central", config(certs, "central", password, port), new MetricsRegistry());
      probe.start();
      waitFor(probe::isConnected, 60);
      long[] baseline = roundTrips(probe, 2000);

      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
      // Each delivery's own round trip (request written to the bridge until the storage ack is back):
      // the central side's share of send-to-stored; the rest is time waiting in the agent's outbox.
      List<Long> deliveries = java.util.Collections.synchronizedList(new ArrayList<>());
      BridgeClient[] clients = new BridgeClient[agents];
      List<CentralLink> links = new ArrayList<>();
      CentralLink[] linkOf = new CentralLink[agents];
      for (int a = 0; a < agents; a++) {
        int i = a;
        // Each agent on a context of its own, spread over the event loops as separate hosts would be.
        vertx.deployVerticle(new AbstractVerticle() {
          @Override
          public void start(Promise<Void> started) {
            clients[i] = new BridgeClient(vertx, host(i), BridgeBench.config(certs, host(i), password, port),
                new MetricsRegistry());
            clients[i].start();
            CentralLink link = new CentralLink(vertx, dir.resolve("agents/" + host(i) + ".db"), 100_000, 5000,
                new MetricsRegistry());
            link.useTransport((address, body, timeoutMs) -> {
              long t0 = System.nanoTime();
              return clients[i].request(address, body, timeoutMs).onSuccess(ack -> deliveries.add(System.nanoTime() - t0));
            });
            link.onDelivered(id -> {
              Long t = sentAt.remove(id);
              if (t != null) latencies.add(System.nanoTime() - t);
            });
            linkOf[i] = link;
            link.start().onComplete(started);
          }
        }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      links.addAll(Arrays.asList(linkOf));
      waitFor(() -> Arrays.stream(clients).allMatch(BridgeClient::isConnected), 120);

      System.out.printf("load average at the start: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
      AtomicLong sent = new AtomicLong();
      AtomicLong reconnects = new AtomicLong();
      long cpuCentral0 = cpuTicks(central.pid());
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      long period = Math.max(1, 1000 / rate);
      for (int a = 0; a < agents; a++) {
        String host = host(a);
        CentralLink link = links.get(a);
        int i = a;
        long[] seq = {0};
        vertx.setPeriodic(1 + a % period, period, t -> {
          if (System.nanoTime() > end) return;
          long now = System.currentTimeMillis();
          Incident inc = new Incident(host + "-" + seq[0]++, host, "ssh_brute_force", "auth_failures", Severity.CRITICAL,
              Incident.State.FIRING, "ssh_brute_force exceeded threshold: 12.0 > 10.0", "", 12, 10,
              Subjects.ofIps(List.of("203.0.113." + (seq[0] % 250))), List.of("block_ip", "alert_critical"), now, null);
          StorageWrite w = StorageWrite.incident(inc);
          sentAt.put(w.id(), System.nanoTime());
          sent.incrementAndGet();
          link.send(Addresses.STORAGE, w.id(), w.toJson());
        });
        vertx.setPeriodic(1000, t -> {
          if (System.nanoTime() > end) return;
          Heartbeat hb = new Heartbeat(host, host + "/sim", Map.of("collector", "ok", "detector", "ok", "action", "ok"),
              "bench", System.currentTimeMillis(), 1, Map.of("cpu_usage", 12.0));
          clients[i].publish(Addresses.HEARTBEAT, hb.toJson());
          StorageWrite w = StorageWrite.heartbeat(hb);
          link.send(Addresses.STORAGE, w.id(), w.toJson());
        });
      }
      // Churn: churn% of the agents a minute, one at a time, each replaced by a fresh connection.
      long perMinute = Math.max(1, agents * churn / 100);
      long[] next = {0};
      if (churn > 0) {
        vertx.setPeriodic(60_000 / perMinute, t -> {
          if (System.nanoTime() > end) return;
          int i = (int) (next[0]++ % agents);
          BridgeClient old = clients[i];
          BridgeClient fresh = new BridgeClient(vertx, host(i), BridgeBench.config(certs, host(i), password, port),
                new MetricsRegistry());
          clients[i] = fresh;
          old.close().onComplete(x -> fresh.start());
          reconnects.incrementAndGet();
        });
      }
      Thread.sleep(seconds * 1000L);
      long rss = rssKib(central.pid());
      double elapsed = (System.nanoTime() - start) / 1e9;
      long drainStart = System.nanoTime();
      long drainEnd = drainStart + 300_000_000_000L;
      while (!sentAt.isEmpty() && System.nanoTime() < drainEnd) Thread.sleep(100);
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
      long cpuCentral = cpuTicks(central.pid()) - cpuCentral0; // over the load and the drain
      long stored = count(db);
      long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("agents=%d rate=%d/s each seconds=%d churn=%d%%/min (reconnects=%d)%n", agents, rate, seconds, churn,
          reconnects.get());
      System.out.printf("incidents sent=%d stored=%d lost=%d (outboxes drained %.1f s after the load stopped)%n", sent.get(),
          stored, sent.get() - stored, drainSeconds);
      System.out.printf("send-to-stored latency ms: p50=%.1f p99=%.1f max=%.1f (baseline bare bridge round trip p50=%.2f p99=%.2f)%n",
          pct(lat, 50), pct(lat, 99), pct(lat, 100), pct(baseline, 50), pct(baseline, 99));
      long[] rt = deliveries.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("of which one delivery's round trip (bridge, TLS, event bus, storage commit) ms: p50=%.1f p99=%.1f "
          + "max=%.1f over %d deliveries; the rest waited in the agent's outbox%n", pct(rt, 50), pct(rt, 99), pct(rt, 100),
          rt.length);
      System.out.printf("central JVM: CPU %.0f%% of one core, RSS %d MiB%n", 100.0 * cpuCentral / 100 / (elapsed + drainSeconds),
          rss / 1024);
      System.out.printf("load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
      System.out.printf("agents JVM (%d simulated agents): RSS %d MiB%n", agents, rssKib(ProcessHandle.current().pid()) / 1024);
      central.destroy();
      central.waitFor(20, TimeUnit.SECONDS);
      Runtime.getRuntime().halt(sent.get() == stored ? 0 : 1);
    } finally {
      central.destroyForcibly();
    }
  }

  private static String host(int a) { return "agent-" + a; }

  private static BridgeConfig config(Path certs, String node, String password, int port) {
    return new BridgeConfig(false, "127.0.0.1", 0, "127.0.0.1:" + port, new TlsConfig(true,
        certs.resolve(node + ".p12").toString(), password, certs.resolve("truststore.p12").toString(), password),
        Duration.ofSeconds(10), 4096);
  }

  /** Round trips over the bridge that the central side answers at once (a refused address), with no storage. */
  private static long[] roundTrips(BridgeClient client, int n) throws Exception {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      client.request(Addresses.STORAGE_QUERY, new JsonObject(), 5000).transform(ar -> Future.succeededFuture())
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      out[i] = System.nanoTime() - t;
    }
    Arrays.sort(out);
    return out;
  }

  private static void exec(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd.subList(0, 6)) + " failed:\n" + out);
  }

  private static long count(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         // Only the simulated ones: after a long drain the central node also stores an agent_stale
         // incident for every agent whose heartbeats stopped with the load.
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM incidents WHERE rule = 'ssh_brute_force'")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
