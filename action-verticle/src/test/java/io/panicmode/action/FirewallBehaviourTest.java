package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.NodeContext;
import io.panicmode.testing.Await;
import io.panicmode.testing.SteppedClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Script backend behaviour: breaker, disabled firewall, escalation, expiry, storage reports, restore, shared bans. */
@ExtendWith(VertxExtension.class)
class FirewallBehaviourTest {
  @TempDir Path dir;
  Vertx vertx;
  Path blockLog;
  Path unblockLog;
  Path block;
  Path unblock;
  /** Ban and unban records sent to storage. */
  final List<StorageWrite> stored = new CopyOnWriteArrayList<>();
  /** Command outcomes sent to storage. */
  final List<ActionResult> results = new CopyOnWriteArrayList<>();
  final List<BlockRecord> shared = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    blockLog = dir.resolve("block.log");
    unblockLog = dir.resolve("unblock.log");
    block = TestSupport.recordingScript(dir, "block.sh", blockLog, 0);
    unblock = TestSupport.recordingScript(dir, "unblock.sh", unblockLog, 0);
    vertx.eventBus().<JsonObject>consumer(Addresses.STORAGE, m -> {
      StorageWrite w = StorageWrite.fromJson(m.body());
      if (w.kind() == StorageWrite.Kind.ACTION_RESULT) results.add(ActionResult.fromJson(w.payload()));
      else stored.add(w);
      m.reply(new JsonObject().put("ok", true));
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.SHARED_BANS, m -> {
      if (m.body().containsKey("v")) shared.add(BlockRecord.fromJson(m.body()));
    });
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Breakers and ban expiry run on it: a test steps over an open duration instead of sleeping through it. */
  private final SteppedClock clock = new SteppedClock();

  private NodeContext deploy(String firewallExtra, String extra) throws Exception {
    var cfg = TestSupport.config(dir, "firewall:\n  block_script: " + block + "\n  unblock_script: " + unblock + "\n"
        + firewallExtra + extra);
    NodeContext ctx = TestSupport.local(cfg, clock);
    TestSupport.deploy(vertx, new ActionVerticle(ctx));
    return ctx;
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void breakerOpensAfterRepeatedScriptFailuresAndClosesAfterOpenDuration() throws Exception {
    Path flag = dir.resolve("fail");
    Files.writeString(flag, "");
    block = TestSupport.script(dir, "flaky.sh", "echo \"$1\" >> '" + blockLog + "'\n[ -e '" + flag + "' ] && exit 3\nexit 0");
    NodeContext ctx = deploy("", "circuit_breakers:\n  max_failures: 3\n  failure_window: 60s\n  open_duration: 2s\n");
    for (int i = 0; i < 3; i++) {
      ActionResult r = TestSupport.send(vertx, TestSupport.block("203.0.113." + (i + 1)));
      assertEquals(ActionResult.Status.FAILED, r.status(), r.reason());
      assertTrue(r.retryable());
    }
    ActionResult r = TestSupport.send(vertx, TestSupport.block("203.0.113.9"));
    assertEquals(ActionResult.Status.SKIPPED, r.status());
    assertTrue(r.reason().contains("circuit breaker open"), r.reason());
    // Each failing ban was tried three times (two retries) and counted once by the breaker.
    assertEquals(9, TestSupport.lines(blockLog).size(), "open breaker still ran the script, or retries are missing");
    assertEquals(1, ctx.metrics().counterValue("panicmode_action_breaker_rejected_total", "action", "block_ip"));
    // Bad input never counts as a failure of the action.
    Files.delete(flag);
    clock.advance(Duration.ofSeconds(2));
    r = TestSupport.send(vertx, TestSupport.block("203.0.113.9"));
    assertEquals(ActionResult.Status.DONE, r.status(), "breaker did not close after open_duration: " + r.reason());
    for (int i = 0; i < 5; i++) assertEquals(ActionResult.Status.FAILED, TestSupport.send(vertx, TestSupport.block("1.2.3.4;id")).status());
    assertEquals(ActionResult.Status.DONE, TestSupport.send(vertx, TestSupport.block("203.0.113.10")).status());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aBanThatFailsOnceIsRetriedAndItsOutcomeStored() throws Exception {
    // Fails the first run for each IP (a transient error), succeeds the next.
    block = TestSupport.script(dir, "once.sh", "echo \"$1\" >> '" + blockLog + "'\n[ -e '" + dir + "'/seen-\"$1\" ] && exit 0\n"
        + "touch '" + dir + "'/seen-\"$1\"\nexit 75");
    NodeContext ctx = deploy("", "");
    ActionCommand c = TestSupport.block("203.0.113.21", "203.0.113.22");
    ActionResult r = TestSupport.send(vertx, c);
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(List.of("203.0.113.21", "203.0.113.22"), r.affected());
    assertEquals(4, TestSupport.lines(blockLog).size(), "each IP: one failed run, one retry: " + TestSupport.lines(blockLog));
    assertEquals(1, ctx.metrics().counterValue("panicmode_action_ban_retries_total"));
    Await.until("the outcome reached storage", () -> results.stream().anyMatch(x -> x.commandId().equals(c.id())));
    assertEquals(ActionResult.Status.DONE, results.stream().filter(x -> x.commandId().equals(c.id())).findFirst().orElseThrow()
        .status());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void disabledFirewallRunsNothing() throws Exception {
    deploy("  enabled: false\n", "");
    for (String op : List.of("block_ip", "unblock_ip", "rate_limit")) {
      ActionResult r = TestSupport.send(vertx, TestSupport.command(op, List.of("203.0.113.5"), List.of(), ""));
      assertEquals(ActionResult.Status.SKIPPED, r.status());
      assertTrue(r.reason().contains("firewall disabled"), r.reason());
    }
    assertEquals(0, TestSupport.lines(blockLog).size() + TestSupport.lines(unblockLog).size());
    assertTrue(stored.isEmpty());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void repeatOffendersEscalateBansExpireAndEveryChangeIsReported() throws Exception {
    deploy("  ban_duration: 1s\n  ban_growth_factor: 3.0\n  ban_max_duration: 5s\n", "fleet:\n  share_bans: true\n");
    ActionResult r = TestSupport.send(vertx, TestSupport.block("203.0.113.5"));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    Await.until("first ban reported", () -> stored.size() == 1);
    BlockRecord first = BlockRecord.fromJson(stored.get(0).payload());
    assertEquals(1, first.count());
    assertEquals(1000, first.expiresAt() - first.blockedAt());
    assertEquals(List.of(first), shared, "a local ban is shared with the fleet");

    Await.until("expired ban lifted through the unblock script", () -> {
      try {
        return TestSupport.lines(unblockLog).equals(List.of("1 [203.0.113.5]"));
      } catch (java.io.IOException e) {
        return false;
      }
    });
    Await.until("unblock reported", () -> stored.stream().anyMatch(w -> w.kind() == StorageWrite.Kind.UNBLOCK));
    StorageWrite un = stored.stream().filter(w -> w.kind() == StorageWrite.Kind.UNBLOCK).findFirst().orElseThrow();
    assertEquals("203.0.113.5", un.payload().getString("ip"));
    assertEquals("expiry", un.payload().getString("by"));

    TestSupport.send(vertx, TestSupport.block("203.0.113.5"));
    // Banned again while the ban is in force (another incident, or a peer sharing it): refreshed, not escalated.
    TestSupport.send(vertx, TestSupport.block("203.0.113.5"));
    Await.until("bans reported", () -> stored.stream().filter(w -> w.kind() == StorageWrite.Kind.BLOCK).count() == 3);
    List<BlockRecord> bans = stored.stream().filter(w -> w.kind() == StorageWrite.Kind.BLOCK)
        .map(w -> BlockRecord.fromJson(w.payload())).toList();
    assertEquals(2, bans.get(1).count());
    assertEquals(3000, bans.get(1).expiresAt() - bans.get(1).blockedAt());
    assertEquals(2, bans.get(2).count(), "a ban still in force must not escalate");
    assertTrue(bans.get(2).expiresAt() >= bans.get(1).expiresAt());

    Await.until("second ban lifted", () -> stored.stream().filter(w -> w.kind() == StorageWrite.Kind.UNBLOCK).count() == 2);
    TestSupport.send(vertx, TestSupport.block("203.0.113.5"));
    Await.until("third offence reported", () -> stored.stream().filter(w -> w.kind() == StorageWrite.Kind.BLOCK).count() == 4);
    BlockRecord third = BlockRecord.fromJson(stored.stream().filter(w -> w.kind() == StorageWrite.Kind.BLOCK)
        .reduce((a, b) -> b).orElseThrow().payload());
    assertEquals(3, third.count());
    assertEquals(5000, third.expiresAt() - third.blockedAt(), "capped at ban_max_duration");
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void restoreReappliesActiveBansAndLiftsOnesTheWhitelistNowCovers() throws Exception {
    deploy("", "");
    for (String ip : List.of("203.0.113.5", "203.0.113.6", "2001:db8::7")) {
      assertEquals(ActionResult.Status.DONE, TestSupport.send(vertx, TestSupport.block(ip)).status());
    }
    TestSupport.send(vertx, TestSupport.command("unblock_ip", List.of("203.0.113.6"), List.of(), ""));
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Files.delete(blockLog);
    Files.delete(unblockLog);

    vertx = Vertx.vertx();
    deploy("  whitelist: [\"2001:db8::/64\"]\n", "");
    assertEquals(List.of("1 [203.0.113.5]"), TestSupport.lines(blockLog));
    assertEquals(List.of("1 [2001:db8::7]"), TestSupport.lines(unblockLog));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void withoutRestoreBansFromBeforeTheRestartStillExpire() throws Exception {
    deploy("  ban_duration: 2s\n  restore_on_startup: false\n", "");
    assertEquals(ActionResult.Status.DONE, TestSupport.send(vertx, TestSupport.block("203.0.113.5")).status());
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx = Vertx.vertx();
    deploy("  ban_duration: 2s\n  restore_on_startup: false\n", "");
    assertEquals(List.of("1 [203.0.113.5]"), TestSupport.lines(blockLog), "restore_on_startup false must not re-apply");
    Await.until("a ban from before the restart was not lifted at expiry", () -> {
      try {
        return TestSupport.lines(unblockLog).equals(List.of("1 [203.0.113.5]"));
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void sharedBansAreAppliedUnderLocalPolicyAndNeverPassedOn() throws Exception {
    deploy("  whitelist: [\"198.51.100.0/24\"]\n", "fleet:\n  share_bans: true\n");
    long now = System.currentTimeMillis();
    vertx.eventBus().publish(Addresses.SHARED_BANS, new BlockRecord("peer1", "203.0.113.50", now, now + 60_000, "flood", null, 1).toJson());
    vertx.eventBus().publish(Addresses.SHARED_BANS, new BlockRecord("peer1", "198.51.100.9", now, null, "flood", null, 1).toJson());
    vertx.eventBus().publish(Addresses.SHARED_BANS, new BlockRecord("peer1", "10.0.0.9", now, null, "flood", null, 1).toJson());
    vertx.eventBus().publish(Addresses.SHARED_BANS, new JsonObject().put("op", "unblock_ip").put("ip", "203.0.113.50"));
    vertx.eventBus().publish(Addresses.SHARED_BANS, new BlockRecord(TestSupport.HOST, "203.0.113.51", now, null, "own", null, 1).toJson());
    Await.until("shared ban applied", () -> stored.size() == 1);
    Thread.sleep(300);
    assertEquals(List.of("1 [203.0.113.50]"), TestSupport.lines(blockLog));
    BlockRecord rec = BlockRecord.fromJson(stored.get(0).payload());
    assertTrue(rec.reason().startsWith("shared by peer1"), rec.reason());
    assertEquals(4, shared.size(), "the test's own publications only: nothing re-published");
    assertTrue(TestSupport.lines(unblockLog).isEmpty());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void anUnwritableLedgerDegradesButStillBlocks() throws Exception {
    Path notADir = dir.resolve("plain-file");
    Files.writeString(notADir, "");
    var cfg = TestSupport.config(dir, "firewall:\n  block_script: " + block + "\n  unblock_script: " + unblock + "\n");
    var storage = cfg.storage();
    var moved = new io.panicmode.config.StorageConfig(notADir.resolve("db/incidents.db").toString(), storage.snapshotDir(),
        storage.logDir(), storage.stateFile(), storage.retention(), storage.snapshotKeep(), storage.snapshotMaxAge());
    cfg = new io.panicmode.config.PanicConfig(cfg.node(), cfg.cluster(), cfg.performance(), cfg.monitors(), cfg.actions(),
        cfg.alerts(), cfg.integrations(), cfg.customMetrics(), cfg.fileMonitor(), cfg.circuitBreakers(), moved, cfg.anomaly(),
        cfg.httpApi(), cfg.firewall(), cfg.processes(), cfg.collector(), cfg.detector(), cfg.delivery(), cfg.fleet(),
        cfg.logging(), cfg.central());
    NodeContext ctx = TestSupport.local(cfg);
    TestSupport.deploy(vertx, new ActionVerticle(ctx));
    assertEquals("degraded", ctx.status().snapshot().get("action"));
    assertTrue(ctx.status().reasons().get("action").contains("block ledger"), ctx.status().reasons().toString());
    assertEquals(ActionResult.Status.DONE, TestSupport.send(vertx, TestSupport.block("203.0.113.5")).status());
    assertEquals(List.of("1 [203.0.113.5]"), TestSupport.lines(blockLog));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void rateLimitUsesTheConfiguredScript() throws Exception {
    Path rlLog = dir.resolve("rl.log");
    Path rl = TestSupport.recordingScript(dir, "rl.sh", rlLog, 0);
    deploy("  rate_limit_script: " + rl + "\n", "");
    ActionCommand c = TestSupport.command("rate_limit", List.of("::ffff:203.0.113.8", "127.0.0.1"), List.of(), "");
    ActionResult r = TestSupport.send(vertx, c);
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(List.of("1 [203.0.113.8]"), TestSupport.lines(rlLog));
    assertEquals(UUID.fromString(c.id()).toString(), r.commandId());
  }
}
