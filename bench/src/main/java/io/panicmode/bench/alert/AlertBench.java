package io.panicmode.bench.alert;

import io.panicmode.alert.AlertTuning;
import io.panicmode.alert.AlertVerticle;
import io.panicmode.alert.ServerLabel;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Alert path benchmarks, each with a baseline measured in the same run:
 * <ol>
 *   <li>latency: AlertRequest sent on the event bus → the fake webhook receives it, one alert at a
 *   time, against a direct WebClient POST to the same server;</li>
 *   <li>outbox throughput: alerts acknowledged (persisted, synchronous=FULL) and delivered per
 *   second with many in flight, against naive SQLite inserts committed one per row.</li>
 * </ol>
 * Usage: AlertBench &lt;work dir&gt; [latency alerts=1000] [throughput alerts=5000]
 */
public final class AlertBench {
  private AlertBench() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int bulk = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    Vertx vertx = Vertx.vertx();
    Map<String, Long> received = new ConcurrentHashMap<>();
    AtomicInteger hits = new AtomicInteger();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      String key = req.getHeader("Idempotency-Key");
      received.put(key == null ? "direct-" + hits.get() : key, System.nanoTime());
      hits.incrementAndGet();
      req.response().end("ok");
    }));
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();

    // Baseline 1: a direct POST of the same JSON, no event bus, no outbox.
    WebClient client = WebClient.create(vertx);
    JsonObject sample = new JsonObject().put("text", "x").put("incident", incident("warm", 0).toJson());
    for (int i = 0; i < 200; i++) await(client.postAbs("http://127.0.0.1:" + port + "/hook").sendJsonObject(sample));
    long[] direct = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      await(client.postAbs("http://127.0.0.1:" + port + "/hook").sendJsonObject(sample));
      direct[i] = System.nanoTime() - t0;
    }

    PanicConfig cfg = ConfigLoader.parse("""
        node: {id: benchhost}
        storage: {incident_db: "%s/incidents.db"}
        delivery: {digest_threshold: 100000000, max_queued: 1000000}
        alerts:
          critical:
            - channel: webhook
              webhook_url: "http://127.0.0.1:%d/hook"
        """.formatted(work, port), "bench.yaml", Map.of());
    NodeContext ctx = NodeContext.local(cfg);
    AlertTuning tuning = AlertTuning.defaults().withEnv(Map.of(ServerLabel.ENV, "bench"))
        .withStderr(new PrintStream(OutputStream.nullOutputStream()));
    String dep = await(vertx.deployVerticle(new AlertVerticle(ctx, tuning)));

    // 1. Latency, one alert at a time (after a warm-up).
    for (int i = 0; i < 200; i++) deliverOne(vertx, received, "warm" + i);
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) lat[i] = deliverOne(vertx, received, "lat" + i);
    report("direct POST (baseline)", direct);
    report("event bus → outbox → webhook", lat);
    System.out.printf("latency ratio alert/direct: p50 %.1fx, p99 %.1fx%n",
        pct(lat, 50) / pct(direct, 50), pct(lat, 99) / pct(direct, 99));

    // 2. Outbox throughput with up to 500 requests in flight.
    long t0 = System.nanoTime();
    CountDownLatch acked = new CountDownLatch(bulk);
    AtomicInteger next = new AtomicInteger();
    vertx.runOnContext(v -> {
      for (int k = 0; k < 500; k++) sendNext(vertx, next, bulk, acked);
    });
    if (!acked.await(300, TimeUnit.SECONDS)) throw new IllegalStateException("acks missing");
    long ackNs = System.nanoTime() - t0;
    long until = System.currentTimeMillis() + 300_000;
    while (countPrefix(received, "bulk") < bulk && System.currentTimeMillis() < until) Thread.sleep(5);
    long doneNs = System.nanoTime() - t0;
    double ackRate = bulk / (ackNs / 1e9);
    double deliverRate = bulk / (doneNs / 1e9);
    await(vertx.undeploy(dep));

    // Baseline 2: naive outbox, one INSERT committed per row (autocommit), same pragmas.
    Path naive = work.resolve("naive.db");
    String json = new AlertRequest("x", incident("x", 0), 0).toJson().encode();
    long nt0 = System.nanoTime();
    int naiveRows = Math.min(bulk, 2000);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + naive)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("CREATE TABLE o(id TEXT PRIMARY KEY, request TEXT)");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO o VALUES (?, ?)")) {
        for (int i = 0; i < naiveRows; i++) {
          ps.setString(1, "n" + i);
          ps.setString(2, json);
          ps.executeUpdate();
        }
      }
    }
    double naiveRate = naiveRows / ((System.nanoTime() - nt0) / 1e9);
    System.out.printf("naive per-row commit (baseline): %.0f rows/s over %d rows%n", naiveRate, naiveRows);
    System.out.printf("outbox: %d alerts acknowledged (persisted) at %.0f/s, delivered at %.0f/s%n", bulk, ackRate, deliverRate);
    System.out.printf("throughput ratio acknowledged/naive: %.1fx%n", ackRate / naiveRate);
    System.out.printf("delivered %d of %d, sent_total %d%n", countPrefix(received, "bulk"), bulk,
        ctx.metrics().counterValue("panicmode_alert_sent_total", "channel", "webhook"));
    Files.deleteIfExists(naive);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void sendNext(Vertx vertx, AtomicInteger next, int bulk, CountDownLatch acked) {
    int i = next.getAndIncrement();
    if (i >= bulk) return;
    vertx.eventBus().request(Addresses.ALERTS, new AlertRequest("bulk" + i, incident("bulk" + i, i), 0).toJson())
        .onComplete(ar -> {
          if (ar.failed()) throw new IllegalStateException("not acknowledged: " + ar.cause());
          acked.countDown();
          sendNext(vertx, next, bulk, acked);
        });
  }

  private static long countPrefix(Map<String, Long> m, String prefix) {
    return m.keySet().stream().filter(k -> k.startsWith(prefix)).count();
  }

  private static long deliverOne(Vertx vertx, Map<String, Long> received, String id) throws Exception {
    long t0 = System.nanoTime();
    await(vertx.eventBus().request(Addresses.ALERTS, new AlertRequest(id, incident(id, 0), 0).toJson()));
    long until = System.currentTimeMillis() + 10_000;
    Long at;
    while ((at = received.get(id)) == null) {
      if (System.currentTimeMillis() > until) throw new IllegalStateException("not delivered: " + id);
      Thread.onSpinWait();
    }
    return at - t0;
  }

  private static Incident incident(String id, int i) {
    return new Incident(id, "benchhost", "ssh_brute_force", "auth_failures", Severity.CRITICAL, Incident.State.FIRING,
        "ssh_brute_force exceeded threshold: 60.0 > 50.0", "user root from 198.51.100." + (i % 250), 60, 50,
        Subjects.ofIps(List.of("198.51.100." + (i % 250))), List.of("block_ip", "alert_critical"), 1_700_000_000_000L, null);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static double pct(long[] ns, int p) {
    long[] s = ns.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
  }

  private static void report(String what, long[] ns) {
    System.out.printf("%-32s p50 %.2f ms  p99 %.2f ms  max %.2f ms  (n=%d)%n", what, pct(ns, 50), pct(ns, 99), pct(ns, 100), ns.length);
  }
}
