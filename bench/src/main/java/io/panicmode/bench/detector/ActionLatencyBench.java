package io.panicmode.bench.detector;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.detector.DetectorVerticle;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.StatusBoard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Time from publishing the auth event that crosses an IP's threshold to the signed block_ip
 * command arriving at this host's action address, through the real {@link DetectorVerticle} in a
 * local Vert.x, under background noise from 100,000 other source IPs. Baseline, same run: the
 * same two event-bus hops with no detector (a verticle that decodes each auth event and sends a
 * message on for the crossing one), so the figure left over is the detector's own.
 * One sample every {@code periodMs} (a timer on an event loop), each with {@code noise} failures
 * from other IPs and 5 from its own IP before the crossing one: 5,000 events/s with the defaults,
 * a heavy SSH attack. Args: [samples] [noise] [periodMs].
 */
public final class ActionLatencyBench {
  private ActionLatencyBench() {}

  static final String HOST = "bench";

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int noise = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int periodMs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path dir = Files.createTempDirectory("detector-bench");
    PanicConfig cfg = ConfigLoader.parse("""
        monitors:
          - name: ssh
            type: auth_failures
            threshold: 5
            actions: [block_ip, alert_critical]
        anomaly:
          enabled: false
        storage:
          state_file: "%s"
        """.formatted(dir.resolve("state.json")), "bench.yaml", Map.of());
    NodeContext ctx = new NodeContext(cfg, HOST, Clock.systemUTC(), new MetricsRegistry(), new StatusBoard(), false,
        new CommandSigner("bench-command-key-0123456789".getBytes(StandardCharsets.US_ASCII)), null,
        System.currentTimeMillis(), "bench");
    Vertx vertx = Vertx.vertx();
    try {
      // Baseline hop: auth address -> relay consumer -> action-like address.
      // Each side runs twice on fresh IPs: the first run warms the JIT and is not reported.
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return vertx.eventBus().<JsonObject>consumer("panicmode.bench.in", m -> {
            AuthEvent e = AuthEvent.fromJson(m.body());
            if (e.user().equals("cross")) vertx.eventBus().send("panicmode.bench.out", new JsonObject().put("ip", e.ip()));
          }).completion();
        }
      }).await();
      measure(vertx, "panicmode.bench.in", "panicmode.bench.out", samples, noise, periodMs, 0);
      long[] base = measure(vertx, "panicmode.bench.in", "panicmode.bench.out", samples, noise, periodMs, 1);
      // All-in-one node: alert and storage are there and acknowledge.
      for (String a : new String[] {Addresses.ALERTS, Addresses.STORAGE}) {
        vertx.eventBus().<JsonObject>consumer(a, m -> m.reply(new JsonObject().put("ok", true))).completion().await();
      }
      vertx.deployVerticle(new DetectorVerticle(ctx)).await();
      measure(vertx, Addresses.authEvents(HOST), Addresses.action(HOST), samples, noise, periodMs, 2);
      long[] det = measure(vertx, Addresses.authEvents(HOST), Addresses.action(HOST), samples, noise, periodMs, 3);
      report("baseline (2 bus hops, no detector)", base);
      report("detector (event -> signed command)", det);
      System.out.printf("ratio p50 %.2f  p99 %.2f%n", pct(det, 50) / (double) pct(base, 50), pct(det, 99) / (double) pct(base, 99));
      System.out.printf("commands sent: %d, claim errors: %d%n", ctx.metrics().counterValue("panicmode_detector_commands_total", "result", "sent"),
          ctx.metrics().counterTotal("panicmode_detector_claim_errors_total"));
    } finally {
      vertx.close().await();
    }
  }

  /** One run; {@code run} makes the sample IPs of each run distinct (a crossing IP fires once). */
  static long[] measure(Vertx vertx, String in, String out, int samples, int noise, int periodMs, int run)
      throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    long[] lat = new long[samples];
    CountDownLatch done = new CountDownLatch(samples);
    int[] k = {0};
    MessageConsumer<JsonObject> consumer = vertx.eventBus().<JsonObject>consumer(out, m -> {
      long now = System.nanoTime();
      JsonObject b = m.body();
      String ip = b.containsKey("op") ? ActionCommand.fromJson(b).ips().get(0) : b.getString("ip");
      Long t = sentAt.remove(ip);
      if (t != null && k[0] < samples) lat[k[0]++] = now - t;
      if (b.containsKey("op")) {
        ActionCommand c = ActionCommand.fromJson(b);
        m.reply(new ActionResult(c.id(), HOST, c.op(), ActionResult.Status.DONE, "", false, c.ips(), 0).toJson());
      }
      done.countDown();
    });
    consumer.completion().await();
    // The publisher is a periodic timer on an event loop (no thread spinning on a shared machine).
    long ts = System.currentTimeMillis();
    int[] s = {0};
    int[] noiseIp = {0};
    long timer = vertx.setPeriodic(periodMs, t -> {
      if (s[0] >= samples) return;
      int i = s[0]++;
      String ip = (150 + run * 4 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255) + ".9";
      for (int j = 0; j < noise; j++) {
        int x = noiseIp[0]++ % 100_000;
        String nip = (160 + (x >> 16)) + "." + ((x >> 8) & 255) + "." + (x & 255) + ".3";
        vertx.eventBus().publish(in, new AuthEvent(HOST, ts, nip, "noise", "failed_password", 22).toJson());
      }
      for (int j = 0; j < 5; j++) vertx.eventBus().publish(in, new AuthEvent(HOST, ts, ip, "warm", "failed_password", 22).toJson());
      sentAt.put(ip, System.nanoTime());
      vertx.eventBus().publish(in, new AuthEvent(HOST, ts, ip, "cross", "failed_password", 22).toJson());
    });
    boolean all = done.await(120, TimeUnit.SECONDS);
    vertx.cancelTimer(timer);
    consumer.unregister().await();
    if (!all) throw new IllegalStateException("only " + (samples - done.getCount()) + " commands arrived");
    long[] out2 = Arrays.copyOf(lat, k[0]);
    Arrays.sort(out2);
    return out2;
  }

  static long pct(long[] sorted, int p) { return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)]; }

  static void report(String what, long[] sorted) {
    System.out.printf("%-38s n=%d p50=%.3fms p90=%.3fms p99=%.3fms max=%.3fms%n", what, sorted.length,
        pct(sorted, 50) / 1e6, pct(sorted, 90) / 1e6, pct(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
  }
}
