package io.panicmode.bench.action;

import io.panicmode.action.HostEnv;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Command received → block script started. A bash block script writes {@code $EPOCHREALTIME}
 * (microseconds, same clock as {@link Instant#now()}) as its first action; the latency is that
 * minus the moment the command was sent on the event bus. Commands are sent one at a time (no
 * queueing); the first 200 (baseline: 50) are warm-up and not counted. Baseline, same run: the
 * same script started directly with ProcessBuilder, which is the floor any launcher has
 * (fork/exec and bash start-up).
 * Usage: LatencyBench workDir [commands=1000]
 */
public final class LatencyBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Path log = work.resolve("started.log");
    Path script = BenchSupport.script(work, "block.sh", "#!/bin/bash\necho \"$EPOCHREALTIME $1\" >> '" + log + "'\n");

    List<Double> base = new ArrayList<>();
    Path baseLog = work.resolve("base.log");
    Path baseScript = BenchSupport.script(work, "base.sh", "#!/bin/bash\necho \"$EPOCHREALTIME $1\" >> '" + baseLog + "'\n");
    Map<String, Long> baseSent = new HashMap<>();
    for (int i = -50; i < Math.min(n, 500); i++) {
      String ip = BenchSupport.ip(100_000 + i + 50);
      if (i >= 0) baseSent.put(ip, micros());
      new ProcessBuilder(baseScript.toString(), ip).start().waitFor();
    }
    base.addAll(latencies(baseLog, baseSent));

    Vertx vertx = Vertx.vertx();
    try {
      BenchSupport.deployMillis(vertx, BenchSupport.config(work, "  backend: script\n  block_script: " + script
          + "\n  unblock_script: " + script + "\n  restore_on_startup: false\n"), HostEnv.real());
      Map<String, Long> sent = new HashMap<>();
      int warmup = Math.min(200, n / 5);
      for (int i = -warmup; i < n; i++) {
        String ip = i < 0 ? BenchSupport.ip(200_000 - i) : BenchSupport.ip(i + 1);
        ActionCommand c = new ActionCommand(UUID.randomUUID().toString(), BenchSupport.HOST, "block_ip", List.of(ip), List.of(),
            0, "bench", "", null, "detector", System.currentTimeMillis(), "");
        JsonObject body = c.toJson();
        if (i >= 0) sent.put(ip, micros());
        JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.action(BenchSupport.HOST), body).toCompletionStage()
            .toCompletableFuture().get(30, TimeUnit.SECONDS).body();
        ActionResult r = ActionResult.fromJson(reply);
        if (r.status() != ActionResult.Status.DONE) throw new IllegalStateException(ip + ": " + r.status() + " " + r.reason());
      }
      List<Double> lat = latencies(log, sent);
      Collections.sort(base);
      Collections.sort(lat);
      double bp50 = BenchSupport.percentile(base, 0.5);
      double bp99 = BenchSupport.percentile(base, 0.99);
      double p50 = BenchSupport.percentile(lat, 0.5);
      double p99 = BenchSupport.percentile(lat, 0.99);
      System.out.printf("baseline  ProcessBuilder -> script running: p50 %.2f ms, p99 %.2f ms (%d runs)%n", bp50, bp99, base.size());
      System.out.printf("block_ip command sent -> block script running: p50 %.2f ms, p99 %.2f ms (%d commands; goal p99 <= 5 ms)%n",
          p50, p99, lat.size());
      System.out.printf("ratio to baseline: p50 %.2fx, p99 %.2fx; verticle overhead at p50 %.2f ms%n", p50 / bp50, p99 / bp99,
          p50 - bp50);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static long micros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  private static List<Double> latencies(Path log, Map<String, Long> sent) throws Exception {
    List<Double> out = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      long started = Math.round(Double.parseDouble(f[0]) * 1e6);
      Long s = sent.get(f[1]);
      if (s != null) out.add((started - s) / 1000.0);
    }
    // Warm-up runs are in the log but not in sent; every measured command must have started its script.
    if (out.size() != sent.size()) throw new IllegalStateException("script runs " + out.size() + " != commands " + sent.size());
    return out;
  }
}
