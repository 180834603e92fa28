package io.panicmode.bench.action;

import io.panicmode.action.ActionVerticle;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.ResultSigner;
import io.panicmode.runtime.ResultVerifier;
import io.panicmode.runtime.StatusBoard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What authenticated commands and results cost per command: block_ip round trip (command sent →
 * result received and accepted by the requester), one command at a time, dry-run firewall so only
 * PanicMode's own path is timed. Baseline, same run: the local mode (no command signature, no
 * persisted replay memory, unsigned result, no verification). Measured: the clustered mode
 * (HMAC-signed command checked, id appended to seen_commands before the ban, Ed25519-signed result
 * verified by the requester). Two rounds each, alternating; the second round is reported.
 * Usage: TrustBench workDir [commands=3000]
 */
public final class TrustBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    CommandSigner commandKey = new CommandSigner("bench-command-key-0123456789".getBytes(StandardCharsets.US_ASCII));
    KeyPair resultKeys = ResultSigner.generate();
    ResultVerifier verifier = new ResultVerifier(Map.of(BenchSupport.HOST, resultKeys.getPublic()));
    double[] local = null;
    double[] trusted = null;
    for (int round = 1; round <= 2; round++) {
      PanicConfig localCfg = config(work.resolve("local-" + round));
      local = measure(NodeContext.local(localCfg), null, null, n);
      Clock clock = Clock.systemUTC();
      NodeContext ctx = new NodeContext(config(work.resolve("trusted-" + round)), BenchSupport.HOST, clock,
          new MetricsRegistry(), new StatusBoard(), true, commandKey, null, clock.millis(), "bench")
          .withResultKeys(new ResultSigner(resultKeys.getPrivate()), null);
      trusted = measure(ctx, commandKey, verifier, n);
      System.out.printf("round %d: local p50 %.3f ms p99 %.3f ms | signed+persisted+verified p50 %.3f ms p99 %.3f ms%n",
          round, local[0], local[1], trusted[0], trusted[1]);
    }
    System.out.printf("ratio to local mode (round 2): p50 %.2fx, p99 %.2fx; added at p50 %.3f ms%n",
        trusted[0] / local[0], trusted[1] / local[1], trusted[0] - local[0]);
    signatureCost(resultKeys, verifier, commandKey);
  }

  /** The parts on their own, per result: Ed25519 sign and verify, and the HMAC of a command. */
  private static void signatureCost(KeyPair keys, ResultVerifier verifier, CommandSigner commandKey) {
    ResultSigner signer = new ResultSigner(keys.getPrivate());
    ActionCommand c = new ActionCommand("cost", BenchSupport.HOST, "block_ip", List.of("203.0.113.1"), List.of(), 0, "bench",
        "", null, "detector", System.currentTimeMillis(), "");
    ActionResult r = new ActionResult("cost", BenchSupport.HOST, "block_ip", ActionResult.Status.DONE, "", false,
        List.of("203.0.113.1"), System.currentTimeMillis());
    int n = 2000;
    for (int round = 0; round < 2; round++) {
      long t0 = System.nanoTime();
      ActionResult signed = r;
      for (int i = 0; i < n; i++) signed = signer.sign(r);
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (verifier.check(c, signed).isPresent()) throw new IllegalStateException("verification failed");
      }
      long t2 = System.nanoTime();
      for (int i = 0; i < n; i++) commandKey.sign(c);
      long t3 = System.nanoTime();
      if (round == 1) {
        System.out.printf("per operation: Ed25519 result sign %.3f ms, verify %.3f ms; HMAC command sign %.3f ms%n",
            (t1 - t0) / 1e6 / n, (t2 - t1) / 1e6 / n, (t3 - t2) / 1e6 / n);
      }
    }
  }

  private static PanicConfig config(Path dir) throws Exception {
    Files.createDirectories(dir);
    return BenchSupport.config(dir, "  backend: dry_run\n  restore_on_startup: false\n");
  }

  /** p50 and p99 in ms of {@code n} block_ip round trips after a warm-up of n/5. */
  private static double[] measure(NodeContext ctx, CommandSigner signer, ResultVerifier verifier, int n) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(new ActionVerticle(ctx)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      List<Double> lat = new ArrayList<>();
      int warmup = n / 5;
      for (int i = -warmup; i < n; i++) {
        ActionCommand c = new ActionCommand(UUID.randomUUID().toString(), BenchSupport.HOST, "block_ip",
            List.of(BenchSupport.ip(300_000 + i + warmup)), List.of(), 0, "bench", "", null, "detector",
            System.currentTimeMillis(), "");
        long t0 = System.nanoTime();
        JsonObject body = (signer == null ? c : signer.sign(c)).toJson();
        JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.action(BenchSupport.HOST), body)
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).body();
        ActionResult r = ActionResult.fromJson(reply);
        if (verifier != null) r = verifier.vet(c, r, ctx.metrics(), "bench");
        long t1 = System.nanoTime();
        if (r.status() != ActionResult.Status.DONE) throw new IllegalStateException(r.status() + " " + r.reason());
        if (i >= 0) lat.add((t1 - t0) / 1e6);
      }
      Collections.sort(lat);
      return new double[] {BenchSupport.percentile(lat, 0.5), BenchSupport.percentile(lat, 0.99)};
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
