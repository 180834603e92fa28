package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.ResultSigner;
import io.panicmode.runtime.ResultVerifier;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed command captured on the wire and replayed after the action role restarted (a new Vert.x
 * instance on the same data dir) is refused; with an unwritable replay file the role still refuses
 * replays while it runs and says on /health that a restart would forget. Every reply is signed
 * with the host's result key and binds the command id.
 */
class ReplayAfterRestartTest {
  private final CommandSigner detector = new CommandSigner("detector-key-0123456789".getBytes(StandardCharsets.UTF_8));
  private final KeyPair resultKeys = ResultSigner.generate();
  private final ResultVerifier verifier = new ResultVerifier(Map.of(TestSupport.HOST, resultKeys.getPublic()));

  @Test
  void aCapturedCommandIsRefusedAfterARestart(@TempDir Path dir) throws Exception {
    Path record = dir.resolve("blocked.txt");
    PanicConfig cfg = config(dir, record);
    ActionCommand captured = detector.sign(TestSupport.block("203.0.113.50"));

    ActionResult first = runOnce(cfg, captured);
    assertEquals(ActionResult.Status.DONE, first.status(), first.reason());
    assertTrue(verifier.check(captured, first).isEmpty(), "the action role's result must verify: " + first);

    ActionResult replayed = runOnce(cfg, captured);
    assertEquals(ActionResult.Status.FAILED, replayed.status(), "replay after restart: " + replayed);
    assertTrue(replayed.reason().contains("already seen"), replayed.reason());
    assertTrue(verifier.check(captured, replayed).isEmpty(), "refusals are signed too");
    assertEquals(1, TestSupport.lines(record).size(), "the replay ran the block script again");

    // The restarted role still takes new commands.
    ActionCommand fresh = detector.sign(TestSupport.block("203.0.113.51"));
    assertEquals(ActionResult.Status.DONE, runOnce(cfg, fresh).status());
  }

  @Test
  void anUnwritableReplayFileDegradesHealthButReplaysAreStillRefused(@TempDir Path dir) throws Exception {
    Path record = dir.resolve("blocked.txt");
    PanicConfig cfg = config(dir, record);
    // A directory where the file should be: not writable even for root.
    Files.createDirectories(dir.resolve(ActionVerticle.SEEN_COMMANDS_FILE));
    NodeContext ctx = context(cfg);
    Vertx vertx = Vertx.vertx();
    try {
      TestSupport.deploy(vertx, new ActionVerticle(ctx));
      assertEquals("degraded", ctx.status().snapshot().get("action"));
      assertTrue(ctx.status().reasons().get("action").contains("replay memory"), ctx.status().reasons().toString());
      ActionCommand c = detector.sign(TestSupport.block("203.0.113.60"));
      assertEquals(ActionResult.Status.DONE, TestSupport.send(vertx, c).status());
      ActionResult again = TestSupport.send(vertx, c);
      assertEquals(ActionResult.Status.FAILED, again.status(), again.toString());
      assertTrue(again.reason().contains("already seen"), again.reason());
      assertEquals(1, TestSupport.lines(record).size());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void idsOutsideTheWindowAreDroppedAndATornLastLineIsTolerated(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("seen");
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    SeenCommandLog log = SeenCommandLog.open(file, Clock.fixed(t0, ZoneOffset.UTC), 240_000);
    log.append("old", t0.toEpochMilli() - 200_000);
    log.append("recent", t0.toEpochMilli());
    log.close();
    Files.writeString(file, "12", java.nio.file.StandardOpenOption.APPEND);

    SeenCommandLog reopened = SeenCommandLog.open(file, Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC), 240_000);
    assertEquals(Map.of("recent", t0.toEpochMilli()), reopened.remembered());
    reopened.close();
    assertEquals(1, Files.readAllLines(file).size(), "the file is rewritten with the live ids only");

    Files.writeString(file, "garbage\n" + Files.readString(file));
    var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> SeenCommandLog.open(file, Clock.systemUTC(), 240_000));
    assertTrue(e.getMessage().contains(file + " line 1"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("seen.tmp")));
  }

  private PanicConfig config(Path dir, Path record) throws Exception {
    Path block = TestSupport.script(dir, "block.sh", "printf '%s\\n' \"$@\" >> '" + record + "'");
    return TestSupport.config(dir, "firewall:\n  restore_on_startup: false\n  block_script: " + block + "\n  unblock_script: " + block + "\n");
  }

  private NodeContext context(PanicConfig cfg) {
    return TestSupport.clustered(cfg, detector, null).withResultKeys(new ResultSigner(resultKeys.getPrivate()), null);
  }

  /** Starts an action role on a fresh Vert.x, sends {@code c}, and stops everything again. */
  private ActionResult runOnce(PanicConfig cfg, ActionCommand c) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NodeContext ctx = context(cfg);
      TestSupport.deploy(vertx, new ActionVerticle(ctx));
      assertEquals("ok", ctx.status().snapshot().get("action"), ctx.status().reasons().toString());
      return TestSupport.send(vertx, c);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

}
