package io.panicmode.alert;

import io.panicmode.runtime.Backoff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Severity;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The outbox: persisted before the ack, idempotent ids, restarts, expiry, the queue bound. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class OutboxTest {
  @TempDir Path dir;
  Vertx vertx;
  FakeHttp hook;
  NodeContext ctx;
  Harness.Captured err = new Harness.Captured();
  String deployment;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    hook = FakeHttp.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (deployment != null) Harness.undeploy(vertx, deployment);
    hook.close();
  }

  private PanicConfig config(int retries, String delivery) throws Exception {
    return Harness.config(dir, """
        delivery:
          outbox_db: "%s"
        %s
        alerts:
          critical:
            - channel: webhook
              webhook_url: "%s/hook"
              retries: %d
              timeout: 2s
        """.formatted(dir.resolve("sub/dir/outbox.db"), delivery, hook.base(), retries));
  }

  private void start(PanicConfig c, AlertTuning t) throws Exception {
    ctx = Harness.ctx(c);
    deployment = Harness.deploy(vertx, new AlertVerticle(ctx, t));
  }

  private void stop() throws Exception {
    Harness.undeploy(vertx, deployment);
    deployment = null;
  }

  private int alertsWithARoundDone() {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sub/dir/outbox.db"));
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM alert_outbox WHERE rounds >= 1")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private Map<String, String> states() {
    Map<String, String> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sub/dir/outbox.db"));
         ResultSet rs = c.createStatement().executeQuery("SELECT id, state FROM alert_outbox")) {
      while (rs.next()) out.put(rs.getString(1), rs.getString(2));
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  /** Waits until {@code count} reaches {@code target}; gives up only after 20 s without any progress. */
  private static void waitForProgress(java.util.function.IntSupplier count, int target, String what)
      throws InterruptedException {
    int last = -1;
    long stalledSince = System.currentTimeMillis();
    for (int n = count.getAsInt(); n < target; n = count.getAsInt()) {
      if (n > last) {
        last = n;
        stalledSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - stalledSince > 20_000) {
        throw new AssertionError("no progress for 20 s waiting for " + what + " (" + n + " of " + target + ")");
      }
      Thread.sleep(20);
    }
  }

  private static void waitFor(BooleanSupplier cond, String what) throws InterruptedException {
    long until = System.currentTimeMillis() + 20_000;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > until) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void anUnusableFileMeansMemoryAndEverythingMovesToTheFileWhenItCanBeUsed() throws Exception {
    // The outbox's directory cannot be created while a plain file sits where it should be.
    java.nio.file.Files.writeString(dir.resolve("sub"), "not a directory");
    start(config(0, ""), Harness.tuning(err.stream));
    assertEquals("degraded", ctx.status().snapshot().get("alert"));
    assertTrue(ctx.status().reasons().get("alert").startsWith("alert outbox in memory: cannot use"), ctx.status().reasons().toString());

    Harness.send(vertx, Harness.request("kept", Severity.CRITICAL));
    assertEquals("kept:firing", hook.next().header("Idempotency-Key"), "delivered without the disk");
    JsonObject again = Harness.send(vertx, Harness.request("kept", Severity.CRITICAL));
    assertEquals(true, again.getBoolean("duplicate"), "ids are still known while in memory");
    hook.expectNothing(300);

    java.nio.file.Files.delete(dir.resolve("sub"));
    waitFor(() -> "ok".equals(ctx.status().snapshot().get("alert")), "back on disk (tried every 5 s)");
    assertEquals("delivered", states().get("kept:firing"), "what memory held is in the file");
    stop();
    start(config(0, ""), Harness.tuning(err.stream));
    assertEquals(true, Harness.send(vertx, Harness.request("kept", Severity.CRITICAL)).getBoolean("duplicate"));
    hook.expectNothing(300);
  }

  @Test
  void aDamagedFileIsMovedAsideAndReplaced() throws Exception {
    java.nio.file.Path file = dir.resolve("sub/dir/outbox.db");
    java.nio.file.Files.createDirectories(file.getParent());
    byte[] junk = new byte[8192];
    new java.util.Random(5).nextBytes(junk);
    java.nio.file.Files.write(file, junk);
    start(config(0, ""), Harness.tuning(err.stream));
    assertEquals("ok", ctx.status().snapshot().get("alert"));
    try (var files = java.nio.file.Files.list(file.getParent())) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("outbox.db.corrupt-")), "kept for inspection");
    }
    Harness.send(vertx, Harness.request("fresh", Severity.CRITICAL));
    hook.next();
    waitFor(() -> "delivered".equals(states().get("fresh:firing")), "delivered, in the new file");
  }

  @Test
  void requestIsOnDiskWhenAcknowledged() throws Exception {
    hook.otherwise(r -> FakeHttp.Reply.hanging());
    start(config(0, ""), Harness.tuning(err.stream));
    AlertRequest req = Harness.request("disk", Severity.CRITICAL);
    assertEquals(new JsonObject().put("ok", true).put("id", "disk:firing"), Harness.send(vertx, req));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sub/dir/outbox.db"))) {
      ResultSet rs = c.createStatement().executeQuery("SELECT request, state FROM alert_outbox WHERE id = 'disk:firing'");
      assertTrue(rs.next(), "row must exist once the ack is received");
      assertEquals(req, AlertRequest.fromJson(new JsonObject(rs.getString(1))));
      assertEquals("pending", rs.getString(2));
      ResultSet mode = c.createStatement().executeQuery("PRAGMA journal_mode");
      mode.next();
      assertEquals("wal", mode.getString(1));
    }
  }

  @Test
  void knownIdIsAcknowledgedWithoutSecondDelivery() throws Exception {
    start(config(0, ""), Harness.tuning(err.stream));
    AlertRequest req = Harness.request("dup", Severity.CRITICAL);
    Harness.send(vertx, req);
    hook.next();
    waitFor(() -> "delivered".equals(states().get("dup:firing")), "delivered");
    JsonObject again = Harness.send(vertx, req);
    assertEquals(true, again.getBoolean("ok"));
    assertEquals(true, again.getBoolean("duplicate"));
    hook.expectNothing(500);
    assertEquals(1, ctx.metrics().counterValue("panicmode_alert_duplicates_total"));
  }

  @Test
  void restartInTheMiddleOfRetriesDeliversExactlyOnce() throws Exception {
    hook.otherwise(r -> FakeHttp.Reply.status(503));
    AlertTuning slow = Harness.tuning(err.stream).withRetryBackoff(new Backoff(java.time.Duration.ofMillis(400),
        java.time.Duration.ofMillis(400)));
    start(config(10, ""), slow);
    Harness.send(vertx, Harness.request("mid", Severity.CRITICAL));
    hook.next();
    hook.next();
    stop();
    hook.otherwise(r -> FakeHttp.Reply.status(200));
    hook.requests.clear();
    assertEquals("pending", states().get("mid:firing"));

    start(config(10, ""), slow);
    FakeHttp.Req r = hook.next();
    assertEquals("mid:firing", r.header("Idempotency-Key"));
    hook.expectNothing(1500);
    waitFor(() -> "delivered".equals(states().get("mid:firing")), "delivered");
    stop();
    start(config(10, ""), slow);
    hook.expectNothing(1000);
  }

  @Test
  void manyRowsSurviveARestartAndEachIsDeliveredOnce() throws Exception {
    hook.otherwise(r -> FakeHttp.Reply.status(503));
    AlertTuning longRounds = Harness.tuning(err.stream)
        .withOutboxBackoff(new Backoff(java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(5)));
    // The breaker stays closed: under load the 5th failure would otherwise come back before the
    // 200th alert went out, and the test is about the outbox, not the breaker.
    String noBreaker = "  digest_threshold: 100000\ncircuit_breakers:\n  max_failures: 100000\n";
    start(config(0, noBreaker), longRounds);
    List<Future<?>> acks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      acks.add(vertx.eventBus().request(Addresses.ALERTS, Harness.request("bulk" + i, Severity.CRITICAL).toJson()));
    }
    Future.all(acks).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    // A first round may end in a timeout that never reached the hook (200 at once through the
    // client's pool on a loaded machine), so count finished rounds in the file, not requests.
    waitForProgress(this::alertsWithARoundDone, 200, "first rounds");
    stop();
    Map<String, String> before = states();
    assertEquals(200, before.size());
    assertTrue(before.values().stream().allMatch("pending"::equals), before.toString());

    hook.all.clear();
    hook.otherwise(r -> FakeHttp.Reply.status(200));
    start(config(0, noBreaker), longRounds);
    // On a loaded machine 200 durable commits may take long: fail only when delivery stops moving.
    waitForProgress(() -> (int) states().values().stream().filter("delivered"::equals).count(), 200, "all delivered");
    Map<String, Long> perId = new HashMap<>();
    synchronized (hook.all) {
      for (FakeHttp.Req r : hook.all) perId.merge(r.header("Idempotency-Key"), 1L, Long::sum);
    }
    assertEquals(200, perId.size());
    assertTrue(perId.values().stream().allMatch(n -> n == 1), "each alert exactly once after restart");
  }

  @Test
  void undeliveredAlertExpiresWithALostLine() throws Exception {
    hook.otherwise(r -> FakeHttp.Reply.status(503));
    start(config(0, "  outbox_expiry: 1s\n"), Harness.tuning(err.stream));
    Harness.send(vertx, Harness.request("old", Severity.CRITICAL));
    waitFor(() -> "expired".equals(states().get("old:firing")), "expired");
    assertTrue(err.text().contains("(expired undelivered after 1s)"), err.text());
    assertEquals(1, ctx.metrics().counterValue("panicmode_alert_expired_total"));
  }

  @Test
  void queueBoundRefusesAndCounts() throws Exception {
    hook.otherwise(r -> FakeHttp.Reply.hanging());
    start(config(0, "  max_queued: 3\n"), Harness.tuning(err.stream));
    for (int i = 0; i < 3; i++) Harness.send(vertx, Harness.request("q" + i, Severity.CRITICAL));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> Harness.send(vertx, Harness.request("q3", Severity.CRITICAL)));
    assertEquals(503, ((ReplyException) e.getCause()).failureCode());
    assertEquals(1, ctx.metrics().counterValue("panicmode_alert_dropped_total", "reason", "queue_full"));
    assertTrue(err.text().contains("[PANICMODE ALERT LOST]") && err.text().contains("delivery.max_queued"), err.text());
  }

  @Test
  void malformedRequestIsRejected() throws Exception {
    start(config(0, ""), Harness.tuning(err.stream));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> vertx.eventBus().request(Addresses.ALERTS, new JsonObject().put("v", 1).put("id", "x"))
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(400, ((ReplyException) e.getCause()).failureCode());
    assertEquals(1, ctx.metrics().counterValue("panicmode_alert_rejected_total"));
  }
}
