package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a clustered bus only commands signed by this host's detector key or the operator key get
 * through, fresh and once; everything else is answered FAILED ("rejected: ...") without running
 * anything, and counted. Malformed bodies and unknown ops get a FAILED reply too.
 */
@ExtendWith(VertxExtension.class)
class GateTest {
  @TempDir Path dir;
  Vertx vertx;
  Path log;
  NodeContext ctx;
  final CommandSigner detector = new CommandSigner("detector-key-0123456789".getBytes(StandardCharsets.UTF_8));
  final CommandSigner operator = new CommandSigner("operator-key-0123456789".getBytes(StandardCharsets.UTF_8));
  final CommandSigner stranger = new CommandSigner("stranger-key-0123456789".getBytes(StandardCharsets.UTF_8));

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    log = dir.resolve("argv.log");
    Path block = TestSupport.recordingScript(dir, "block.sh", log, 0);
    Path unblock = TestSupport.recordingScript(dir, "unblock.sh", dir.resolve("unblock.log"), 0);
    var cfg = TestSupport.config(dir, "firewall:\n  block_script: " + block + "\n  unblock_script: " + unblock + "\n");
    ctx = TestSupport.clustered(cfg, detector, operator);
    TestSupport.deploy(vertx, new ActionVerticle(ctx));
    assertEquals("ok", ctx.status().snapshot().get("action"), "ready only once everything is in place");
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ActionCommand cmd(String op, String issuedBy, long issuedAt) {
    return new ActionCommand(UUID.randomUUID().toString(), TestSupport.HOST, op, List.of("203.0.113.77"), List.of(), 0, "t", "",
        null, issuedBy, issuedAt, "");
  }

  private void assertRejected(ActionCommand c, String label) throws Exception {
    long before = ctx.metrics().counterValue("panicmode_action_rejected_total", "reason", label);
    int runs = TestSupport.lines(log).size();
    ActionResult r = TestSupport.send(vertx, c);
    assertEquals(ActionResult.Status.FAILED, r.status(), r.reason());
    assertTrue(r.reason().startsWith("rejected: "), r.reason());
    assertEquals(before + 1, ctx.metrics().counterValue("panicmode_action_rejected_total", "reason", label), label);
    assertEquals(runs, TestSupport.lines(log).size(), "a rejected command ran the script");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void onlyAuthenticFreshUniqueCommandsRun() throws Exception {
    long now = System.currentTimeMillis();
    ActionCommand good = detector.sign(cmd("block_ip", "detector", now));
    assertEquals(ActionResult.Status.DONE, TestSupport.send(vertx, good).status());
    assertEquals(1, TestSupport.lines(log).size());

    assertRejected(good, "replay");
    assertRejected(cmd("block_ip", "detector", now), "unauthenticated");
    assertRejected(stranger.sign(cmd("block_ip", "detector", now)), "unauthenticated");
    assertRejected(operator.sign(cmd("block_ip", "detector", now)), "unauthenticated");
    assertRejected(detector.sign(cmd("block_ip", "operator", now)), "unauthenticated");
    assertRejected(detector.sign(cmd("block_ip", "api", now)), "unauthenticated");
    // A valid signature over different content: the field was changed after signing.
    ActionCommand signed = detector.sign(cmd("block_ip", "detector", now));
    ActionCommand tampered = new ActionCommand(signed.id(), signed.host(), signed.op(), List.of("203.0.113.78"), List.of(), 0,
        signed.reason(), "", null, signed.issuedBy(), signed.issuedAt(), signed.signature());
    assertRejected(tampered, "unauthenticated");
    assertRejected(detector.sign(cmd("block_ip", "detector", now - 600_000)), "stale");
    assertRejected(detector.sign(cmd("block_ip", "detector", now + 600_000)), "stale");
    assertRejected(operator.sign(new ActionCommand(UUID.randomUUID().toString(), TestSupport.HOST, "mass_freeze", List.of(),
        List.of(), 0, "", "", null, "operator", now, "")), "forbidden");

    ActionResult r = TestSupport.send(vertx, operator.sign(cmd("unblock_ip", "operator", now)));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void wrongHostUnknownOpsAndMisplacedFieldsAreRejected() throws Exception {
    long now = System.currentTimeMillis();
    assertRejected(detector.sign(new ActionCommand(UUID.randomUUID().toString(), "otherhost", "block_ip",
        List.of("203.0.113.77"), List.of(), 0, "", "", null, "detector", now, "")), "wrong_host");
    for (String op : List.of("shutdown", "block_ip;id", "BLOCK_IP", "mass_freeze_cluster:", "mass_freeze_cluster:a b",
        "block_ip:x", "run_script:../../bin/sh")) {
      assertRejected(detector.sign(new ActionCommand(UUID.randomUUID().toString(), TestSupport.HOST, op, List.of(), List.of(),
          0, "", "", null, "detector", now, "")), "unknown_op");
    }
    assertRejected(detector.sign(new ActionCommand(UUID.randomUUID().toString(), TestSupport.HOST, "snapshot",
        List.of("203.0.113.77"), List.of(), 0, "", "", null, "detector", now, "")), "malformed");
    assertRejected(detector.sign(new ActionCommand(UUID.randomUUID().toString(), TestSupport.HOST, "mass_freeze",
        List.of("203.0.113.77"), List.of(), 0, "", "", null, "detector", now, "")), "malformed");
    assertRejected(detector.sign(new ActionCommand(UUID.randomUUID().toString(), TestSupport.HOST, "block_ip",
        List.of(), List.of(), 0, "", "", null, "detector", now, "")), "malformed");
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void malformedBodiesGetAFailedReplyAndAreCounted() throws Exception {
    long before = ctx.metrics().counterValue("panicmode_action_rejected_total", "reason", "malformed");
    for (JsonObject body : List.of(new JsonObject(), new JsonObject().put("v", 1).put("id", "x"),
        detector.sign(cmd("block_ip", "detector", System.currentTimeMillis())).toJson().put("extra", 1),
        detector.sign(cmd("block_ip", "detector", System.currentTimeMillis())).toJson().put("ips", "1.2.3.4"))) {
      ActionResult r = TestSupport.send(vertx, body);
      assertEquals(ActionResult.Status.FAILED, r.status());
      assertTrue(r.reason().startsWith("rejected: malformed"), r.reason());
    }
    assertEquals(before + 4, ctx.metrics().counterValue("panicmode_action_rejected_total", "reason", "malformed"));
    assertEquals(0, TestSupport.lines(log).size());
  }
}
