package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.action.firewall.BlockLedger;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.sqlite.SqliteStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bans and their expiry do not depend on recording them. With the block ledger on a full tmpfs
 * and storage refusing every write, bans are applied, reported DONE with their recording pending,
 * never counted by the breaker, and a 3 s ban is lifted when it ends. A ban the ledger holds and
 * storage never acknowledged (the process died in between) reaches storage at the next start.
 */
@ExtendWith(VertxExtension.class)
class LedgerFaultTest {
  @TempDir Path dir;
  Vertx vertx;
  Path mounted;
  Path blockLog;
  Path unblockLog;
  final List<StorageWrite> stored = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    blockLog = dir.resolve("block.log");
    unblockLog = dir.resolve("unblock.log");
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (mounted != null) NetnsFixture.sh("/usr/bin/umount", mounted.toString());
  }

  private NodeContext deploy(Path dataDir, String extra) throws Exception {
    Path block = TestSupport.script(dir, "block.sh", "echo \"$1\" >> '" + blockLog + "'");
    Path unblock = TestSupport.script(dir, "unblock.sh", "echo \"$1\" >> '" + unblockLog + "'");
    var cfg = TestSupport.config(dataDir, "firewall:\n  block_script: " + block + "\n  unblock_script: " + unblock + "\n" + extra);
    NodeContext ctx = TestSupport.local(cfg);
    TestSupport.deploy(vertx, new ActionVerticle(ctx));
    return ctx;
  }

  private static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    while (!cond.getAsBoolean() && System.currentTimeMillis() < deadline) Thread.sleep(20);
    assertTrue(cond.getAsBoolean(), what);
  }

  private BlockLedger openLedger(Path file) throws Exception {
    return SqliteStore.await(BlockLedger.open(vertx, file, new MetricsRegistry(), SqliteStore.Listener.NONE));
  }

  private static ActionCommand ban(String ip, long secs) {
    return new ActionCommand(UUID.randomUUID().toString(), TestSupport.HOST, "block_ip", List.of(ip), List.of(), secs,
        "fault test", "", null, "detector", System.currentTimeMillis(), "");
  }

  /** Fills the file system holding {@code dir} until it refuses another byte. */
  private static void fill(Path dir) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
      while (true) out.write(chunk);
    } catch (IOException e) {
      if (!e.getMessage().contains("No space left")) throw e;
    }
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void withTheDiskFullAndStorageDownBansStillApplyAndExpireAndNeverOpenTheBreaker() throws Exception {
    Assumptions.assumeTrue(TestSupport.isRoot(), "skipped: mounting a small tmpfs to fill needs root");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mount")), "skipped: /usr/bin/mount not installed");
    Path data = Files.createDirectory(dir.resolve("data"));
    NetnsFixture.sh("/usr/bin/mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", data.toString());
    mounted = data;
    vertx.eventBus().<JsonObject>consumer(Addresses.STORAGE, m -> m.fail(500, "SQLITE_FULL: database or disk is full"));
    NodeContext ctx = deploy(data, "circuit_breakers:\n  max_failures: 3\n");
    assertEquals("ok", ctx.status().snapshot().get("action"), "precondition: a writable ledger at start");
    fill(data);

    // The disk fills while running: the ledger moves to memory at its first failed write and every ban is recorded there.
    List<Long> sentAt = new ArrayList<>();
    int bans = 6;
    for (int i = 1; i <= bans; i++) {
      sentAt.add(System.currentTimeMillis());
      ActionResult r = TestSupport.send(vertx, ban("203.0.113." + i, 3));
      assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
      assertFalse(r.reason().contains("recording pending"), "the ledger in memory records it: " + r.reason());
    }
    assertEquals(bans, TestSupport.lines(blockLog).size());
    assertTrue(ctx.metrics().renderPrometheus().contains("panicmode_action_breaker_open{action=\"block_ip\"} 0"),
        "recording failures opened the breaker");
    assertEquals(0, ctx.metrics().counterValue("panicmode_action_breaker_rejected_total", "action", "block_ip"));
    assertEquals(1, ctx.metrics().counterValue("panicmode_store_memory_switches_total", "store", "block_ledger"));
    assertTrue(ctx.status().reasons().getOrDefault("action", "").contains("bans kept in memory only"),
        "/health must say the ledger is in memory: " + ctx.status().reasons());
    assertTrue(ctx.status().reasons().getOrDefault(ActionVerticle.LEDGER_CHECK, "").contains("held in memory"),
        ctx.status().reasons().toString());

    eventually("3 s bans lifted while the disk is full", () -> {
      try {
        return TestSupport.lines(unblockLog).size() == bans;
      } catch (IOException e) {
        return false;
      }
    });
    long lifted = System.currentTimeMillis();
    System.out.printf("last 3 s ban lifted %d ms after it was requested (ledger in memory, storage down)%n",
        lifted - sentAt.get(bans - 1));
    eventually("no ban left in force", () -> ctx.metrics().renderPrometheus().contains("panicmode_action_active_bans 0"));
    ActionResult longBan = TestSupport.send(vertx, ban("203.0.113.99", 3600));
    assertEquals(ActionResult.Status.DONE, longBan.status(), longBan.reason());

    // The disk comes back: the ledger returns to its file with everything it held, and /health recovers.
    long freed = System.currentTimeMillis();
    Files.delete(data.resolve("filler"));
    eventually("the ledger is back on disk and /health ok", () -> "ok".equals(ctx.status().snapshot().get("action")));
    System.out.printf("block ledger back on disk %d ms after the disk was freed (mid-run)%n", System.currentTimeMillis() - freed);
    assertNull(ctx.status().reasons().get(ActionVerticle.LEDGER_CHECK), ctx.status().reasons().toString());
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("block_ledger.db"));
         var rs = c.createStatement().executeQuery("SELECT ip, active FROM bans ORDER BY ip")) {
      Map<String, Integer> rows = new java.util.TreeMap<>();
      while (rs.next()) rows.put(rs.getString(1), rs.getInt(2));
      assertEquals(bans + 1, rows.size(), "every ban recorded in memory is in the file: " + rows);
      assertEquals(Integer.valueOf(1), rows.get("203.0.113.99"), "the ban in force is active in the file");
      assertEquals(bans, rows.values().stream().filter(a -> a == 0).count(), "the lifted bans are lifted in the file");
    }
  }

  @Test
  void aLedgerFromBeforeReconciliationOpensWithItsBansCountedAsRecorded() throws Exception {
    Path file = dir.resolve("old_ledger.db");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
      st.execute("CREATE TABLE bans (ip TEXT PRIMARY KEY, blocked_at INTEGER NOT NULL, expires_at INTEGER,"
          + " reason TEXT NOT NULL, incident_id TEXT, count INTEGER NOT NULL, active INTEGER NOT NULL)");
      st.execute("INSERT INTO bans VALUES ('203.0.113.4', 1000, NULL, 'old', NULL, 2, 1)");
    }
    try (BlockLedger ledger = openLedger(file)) {
      assertEquals(List.of(new BlockLedger.Entry("203.0.113.4", 1000, null, "old", null, 2, true)), ledger.active());
      assertTrue(ledger.unrecorded().isEmpty(), "an old ban has no write id to resend");
      assertEquals(2, ledger.priorCount("203.0.113.4"));
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aBanTheLedgerHoldsButStorageNeverAcknowledgedIsSentAtStart() throws Exception {
    long now = System.currentTimeMillis();
    String lost = StorageWrite.blockId("inc-1:0:block_ip", "203.0.113.7");
    String kept = StorageWrite.blockId("inc-2:0:block_ip", "203.0.113.8");
    // The state a kill -9 leaves between the ledger commit and the report to storage.
    try (BlockLedger ledger = openLedger(dir.resolve("block_ledger.db"))) {
      ledger.recordBans(List.of(
          new BlockLedger.Entry("203.0.113.7", now, now + 3_600_000, "ssh brute force", "inc-1", 1, true, lost),
          new BlockLedger.Entry("203.0.113.8", now, now + 3_600_000, "ssh brute force", "inc-2", 1, true, kept)));
      ledger.markRecorded(List.of(kept));
    }
    vertx.eventBus().<JsonObject>consumer(Addresses.STORAGE, m -> {
      stored.add(StorageWrite.fromJson(m.body()));
      m.reply(new JsonObject().put("ok", true));
    });
    deploy(dir, "");
    eventually("the unrecorded ban reached storage", () -> !stored.isEmpty());
    Thread.sleep(300);
    assertEquals(1, stored.size(), "only the ban storage lacks is sent: " + stored);
    StorageWrite w = stored.get(0);
    assertEquals(lost, w.id(), "same write id as the original report, so storage keeps one row");
    BlockRecord rec = BlockRecord.fromJson(w.payload());
    assertEquals("203.0.113.7", rec.ip());
    assertEquals("inc-1", rec.incidentId());
    assertEquals(now + 3_600_000, rec.expiresAt());
    // Acknowledged now: the next start sends nothing.
    eventually("the acknowledgement reached the ledger", () -> {
      try (BlockLedger ledger = openLedger(dir.resolve("block_ledger.db"))) {
        return ledger.unrecorded().isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void aLedgerStartedInMemoryOnAFullDiskMovesItsBansIntoTheFileWhenTheDiskIsFreed() throws Exception {
    Assumptions.assumeTrue(TestSupport.isRoot(), "skipped: mounting a small tmpfs to fill needs root");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mount")), "skipped: /usr/bin/mount not installed");
    Path data = Files.createDirectory(dir.resolve("data"));
    NetnsFixture.sh("/usr/bin/mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", data.toString());
    mounted = data;
    vertx.eventBus().<JsonObject>consumer(Addresses.STORAGE, m -> m.reply(new JsonObject().put("ok", true)));
    fill(data);
    NodeContext ctx = deploy(data, "");
    assertTrue(ctx.status().reasons().getOrDefault("action", "").contains("bans kept in memory only"),
        "precondition: the ledger starts in memory: " + ctx.status().reasons());
    assertTrue(ctx.status().reasons().containsKey(ActionVerticle.LEDGER_CHECK), ctx.status().reasons().toString());
    int bans = 3;
    for (int i = 1; i <= bans; i++) {
      ActionResult r = TestSupport.send(vertx, ban("203.0.113." + i, 3600));
      assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    }

    long freed = System.currentTimeMillis();
    Files.delete(data.resolve("filler"));
    eventually("the ledger is back on disk and /health ok", () -> "ok".equals(ctx.status().snapshot().get("action")));
    System.out.printf("block ledger back on disk %d ms after the disk was freed, %d bans carried over%n",
        System.currentTimeMillis() - freed, bans);
    try (BlockLedger onDisk = openLedger(data.resolve("block_ledger.db"))) {
      assertEquals(bans, onDisk.active().size(), "the bans held in memory are in the file: " + onDisk.active());
    }
  }
}
