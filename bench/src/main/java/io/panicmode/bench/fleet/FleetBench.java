package io.panicmode.bench.fleet;

import static io.panicmode.bench.BenchProcess.cpuTicks;
import static io.panicmode.bench.BenchProcess.freePort;
import static io.panicmode.bench.BenchProcess.pct;
import static io.panicmode.bench.BenchProcess.read;
import static io.panicmode.bench.BenchProcess.rssKib;
import static io.panicmode.bench.BenchProcess.waitFor;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.launcher.ClusterSetup;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.outbox.CentralLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many agents, one central node. The central node (storage + alert roles) runs from the shaded
 * jar in its own JVM; this JVM joins the cluster and simulates {@code agents} agents, each with its
 * own persistent outbox ({@link CentralLink}) sending {@code rate} incidents a second plus a
 * heartbeat a second. Reports incidents stored per second, send-to-stored latency (the storage
 * node acknowledges only after commit), losses, and CPU and RSS of both JVMs. Baselines in the
 * same run: a bare event-bus round trip to the central node, and bare SQLite batched inserts.
 *
 * <p>Usage: {@code FleetBench JAR WORKDIR [agents=200] [rate=10] [seconds=30]}
 */
public final class FleetBench {
  private FleetBench() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path dir = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    int agents = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 30;
    int hzCentral = freePort();
    int hzAgents = freePort();
    String members = "[\"127.0.0.1:" + hzCentral + "\", \"127.0.0.1:" + hzAgents + "\"]";
    Path db = dir.resolve("central/incidents.db");
    Files.writeString(dir.resolve("command.key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
    String common = """
        performance: {memory_limit_mb: 4096, cpu_limit: 100}
        storage: {incident_db: "%s", snapshot_dir: "%s/snap", log_dir: "%s/log", state_file: "%s/state.json"}
        alerts: {critical: [{channel: log}]}
        logging: {file: false}
        cluster: {enabled: true, bind: 127.0.0.1, members: %s, command_key_file: "%s/command.key", port: PORT}
        """.formatted(db, dir, dir, dir, members, dir);
    Path centralCfg = Files.writeString(dir.resolve("central.yaml"), "node: {id: central}\n"
        + common.replace("PORT", String.valueOf(hzCentral)));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx96m", "-XX:TieredStopAtLevel=1", "-Dvertx.disableDnsResolver=true",
        "-Dio.netty.allocator.type=unpooled", "-jar", jar.toString(), "run", "--config", centralCfg.toString(),
        "--roles", "storage,alert"));
    Process central = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("central.out").toFile()).start();
    try {
      waitFor(() -> read(dir.resolve("central.out")).contains("PanicMode ready"), 90);
      PanicConfig agentCfg = ConfigLoader.parse("node: {id: agents}\n" + common.replace("PORT", String.valueOf(hzAgents)),
          "agents", Map.of());
      Vertx vertx = Vertx.builder().with(new VertxOptions().setEventBusOptions(ClusterSetup.eventBusOptions(agentCfg.cluster())))
          .withClusterManager(ClusterSetup.clusterManager(agentCfg.cluster())).buildClustered()
          .toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
      waitFor(() -> vertx.eventBus().request(Addresses.STORAGE, new JsonObject()).transform(ar -> Future.succeededFuture(
          ar.succeeded() || ar.cause().getMessage() == null || !ar.cause().getMessage().contains("No handlers")))
          .toCompletionStage().toCompletableFuture().join(), 60);

      long[] pingNanos = pingBaseline(vertx, 2000);

      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
      List<CentralLink> links = new ArrayList<>();
      for (int a = 0; a < agents; a++) {
        CentralLink link = new CentralLink(vertx, dir.resolve("agents/agent-" + a + ".db"), 100_000, 5000, new MetricsRegistry());
        link.onDelivered(id -> {
          Long t = sentAt.remove(id);
          if (t != null) latencies.add(System.nanoTime() - t);
        });
        link.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        links.add(link);
      }
      AtomicLong sent = new AtomicLong();
      long cpuCentral0 = cpuTicks(central.pid());
      long cpuSelf0 = cpuTicks(ProcessHandle.current().pid());
      long start = System.nanoTime();
      long period = Math.max(1, 1000 / rate);
      for (int a = 0; a < agents; a++) {
        String host = "agent-" + a;
        CentralLink link = links.get(a);
        long[] seq = {0};
        vertx.setPeriodic(1 + a % period, period, t -> {
          if (System.nanoTime() - start > seconds * 1_000_000_000L) return;
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
          if (System.nanoTime() - start > seconds * 1_000_000_000L) return;
          Heartbeat hb = new Heartbeat(host, host + "/sim", Map.of("collector", "ok", "detector", "ok", "action", "ok"),
              "bench", System.currentTimeMillis(), 1, Map.of("cpu_usage", 12.0));
          StorageWrite w = StorageWrite.heartbeat(hb);
          link.send(Addresses.STORAGE, w.id(), w.toJson());
        });
      }
      Thread.sleep(seconds * 1000L);
      waitFor(() -> sentAt.isEmpty(), 120);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long cpuCentral = cpuTicks(central.pid()) - cpuCentral0;
      long cpuSelf = cpuTicks(ProcessHandle.current().pid()) - cpuSelf0;
      long stored = count(db);
      double rawPerSec = rawSqliteBaseline(dir.resolve("baseline.db"), (int) Math.min(sent.get(), 200_000));
      long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("agents=%d rate=%d/s each seconds=%d%n", agents, rate, seconds);
      System.out.printf("incidents sent=%d stored=%d lost=%d%n", sent.get(), stored, sent.get() - stored);
      System.out.printf("stored per second: %.0f (baseline bare SQLite batched inserts: %.0f/s, ratio %.3f)%n",
          stored / elapsed, rawPerSec, (stored / elapsed) / rawPerSec);
      System.out.printf("send-to-stored latency ms: p50=%.1f p99=%.1f max=%.1f (baseline event-bus round trip p50=%.2f p99=%.2f; p99 ratio %.1f)%n",
          pct(lat, 50), pct(lat, 99), pct(lat, 100), pct(pingNanos, 50), pct(pingNanos, 99), pct(lat, 99) / pct(pingNanos, 99));
      System.out.printf("central JVM: CPU %.0f%% of one core, RSS %d MiB%n", 100.0 * cpuCentral / 100 / elapsed, rssKib(central.pid()) / 1024);
      System.out.printf("agents JVM (%d simulated agents): CPU %.0f%% of one core, RSS %d MiB%n", agents,
          100.0 * cpuSelf / 100 / elapsed, rssKib(ProcessHandle.current().pid()) / 1024);
      central.destroyForcibly();
      Runtime.getRuntime().halt(sent.get() == stored ? 0 : 1);
    } finally {
      central.destroyForcibly();
    }
  }

  private static long[] pingBaseline(Vertx vertx, int n) throws Exception {
    vertx.eventBus().consumer("bench.ping.local", m -> m.reply("pong"));
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      // A request the storage node answers without writing: an unknown query kind is refused at once.
      vertx.eventBus().request(Addresses.STORAGE_QUERY, new JsonObject(), new DeliveryOptions().setSendTimeout(5000))
          .transform(ar -> Future.succeededFuture()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      out[i] = System.nanoTime() - t;
    }
    Arrays.sort(out);
    return out;
  }

  private static double rawSqliteBaseline(Path file, int rows) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (var s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT)");
      }
      c.setAutoCommit(false);
      long t0 = System.nanoTime();
      var ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)");
      for (int i = 0; i < rows; i++) {
        ps.setString(1, "id-" + i);
        ps.setString(2, "{\"rule\":\"ssh_brute_force\",\"value\":12.0}");
        ps.addBatch();
        if (i % 500 == 499) {
          ps.executeBatch();
          c.commit();
        }
      }
      ps.executeBatch();
      c.commit();
      return rows / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static long count(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM incidents")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
