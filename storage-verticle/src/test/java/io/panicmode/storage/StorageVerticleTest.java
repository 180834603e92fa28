package io.panicmode.storage;

import static io.panicmode.storage.Fixtures.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.AlertDelivery;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Role;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageQuery;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.StatusBoard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class StorageVerticleTest {
  @TempDir Path dir;

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static JsonObject query(Vertx vertx, StorageQuery q) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.STORAGE_QUERY, q.toJson())).body();
  }

  /**
   * Alert deliveries reported by the alert role are stored in the SQLite file and served with their
   * incident, oldest first; a repeated report is one row, and another incident's rows stay apart.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void alertDeliveriesAreStoredPerIncidentAndServedWithIt(Vertx vertx) throws Exception {
    Path db = dir.resolve("data/incidents.db");
    NodeContext ctx = NodeContext.local(Fixtures.config(db));
    String dep = await(vertx.deployVerticle(new StorageVerticle(ctx)));
    long now = System.currentTimeMillis();
    await(vertx.eventBus().request(Addresses.STORAGE,
        StorageWrite.incident(Fixtures.incident("d-1", HOST, "ssh", Severity.CRITICAL, now)).toJson()));
    AlertDelivery failed = new AlertDelivery("alert-1", "d-1", HOST, "telegram", 4, AlertDelivery.Outcome.FAILED, "HTTP 503", now + 10);
    AlertDelivery delivered = new AlertDelivery("alert-1", "d-1", HOST, "webhook", 2, AlertDelivery.Outcome.DELIVERED, "", now + 20);
    AlertDelivery other = new AlertDelivery("alert-9", "d-10", HOST, "webhook", 1, AlertDelivery.Outcome.DELIVERED, "", now + 30);
    for (AlertDelivery d : List.of(delivered, failed, other)) {
      await(vertx.eventBus().request(Addresses.STORAGE, StorageWrite.alertDelivery(d).toJson()));
    }
    JsonObject again = await(vertx.eventBus().<JsonObject>request(Addresses.STORAGE,
        StorageWrite.alertDelivery(failed).toJson())).body();
    assertEquals(true, again.getBoolean("duplicate"), "a repeated report is one row");
    await(vertx.undeploy(dep));

    // A new verticle on the same file: the rows are on disk, not in memory.
    String dep2 = await(vertx.deployVerticle(new StorageVerticle(NodeContext.local(Fixtures.config(db)))));
    JsonObject inc = query(vertx, StorageQuery.incidents(HOST, null, null, null, null, now, 10, null))
        .getJsonArray("items").getJsonObject(0);
    JsonArray deliveries = inc.getJsonArray("deliveries");
    assertEquals(2, deliveries.size(), deliveries.encode());
    JsonObject first = deliveries.getJsonObject(0);
    assertEquals("telegram", first.getString("channel"));
    assertEquals(4, first.getInteger("attempts"));
    assertEquals("failed", first.getString("outcome"));
    assertEquals("HTTP 503", first.getString("error"));
    assertEquals(now + 10, first.getLong("at"));
    assertEquals("alert-1", first.getString("alertId"));
    assertEquals("delivered", deliveries.getJsonObject(1).getString("outcome"));
    assertEquals(2, deliveries.getJsonObject(1).getInteger("attempts"));
    await(vertx.undeploy(dep2));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void writesAreAcknowledgedAfterCommitAndReadBackThroughQueries(Vertx vertx) throws Exception {
    NodeContext ctx = NodeContext.local(Fixtures.config(dir.resolve("data/incidents.db")));
    await(vertx.deployVerticle(new StorageVerticle(ctx)));
    assertEquals(StatusBoard.OK, ctx.status().snapshot().get("storage"));
    long now = System.currentTimeMillis();
    List<Future<?>> acks = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      String host = i % 2 == 0 ? HOST : "db-2";
      Severity sev = i % 5 == 0 ? Severity.CRITICAL : Severity.WARNING;
      Incident inc = Fixtures.incident("v-" + i, host, i % 3 == 0 ? "ssh" : "high_cpu", sev, now - 250_000 + i * 1000L);
      acks.add(vertx.eventBus().request(Addresses.STORAGE, StorageWrite.incident(inc).toJson()));
    }
    await(Future.all(acks));
    JsonObject reply = await(vertx.eventBus().<JsonObject>request(Addresses.STORAGE,
        StorageWrite.incident(Fixtures.incident("v-0", HOST, "ssh", Severity.CRITICAL, now - 250_000)).toJson())).body();
    assertEquals(true, reply.getBoolean("ok"));
    assertEquals(true, reply.getBoolean("duplicate"));
    // 250 distinct events, counted once each: 50 critical (every fifth), of which 17 are ssh (i % 15 == 0).
    assertEquals(17, ctx.metrics().counterValue("panicmode_storage_incident_events_total",
        "rule", "ssh", "severity", "critical", "state", "firing"));
    assertEquals(250, ctx.metrics().counterTotal("panicmode_storage_incident_events_total"));

    // Filter + keyset paging: every critical incident of web-1, 7 per page, newest first, no gaps or repeats.
    List<String> seen = new ArrayList<>();
    String cursor = null;
    long lastFired = Long.MAX_VALUE;
    do {
      JsonObject page = query(vertx, StorageQuery.incidents(HOST, Severity.CRITICAL, null, null, null, now, 7, cursor));
      JsonArray items = page.getJsonArray("items");
      for (int i = 0; i < items.size(); i++) {
        JsonObject it = items.getJsonObject(i);
        assertEquals(HOST, it.getString("host"));
        assertEquals("critical", it.getString("severity"));
        assertTrue(it.getLong("firedAt") < lastFired);
        lastFired = it.getLong("firedAt");
        seen.add(it.getString("id"));
        it.remove("updatedAt");
        it.remove("outcomes");
        it.remove("deliveries");
        assertEquals(it.getString("id"), Incident.fromJson(it).id()); // items are Incident JSON
      }
      cursor = page.getString("next");
    } while (cursor != null);
    assertEquals(25, seen.size());
    assertEquals(25, seen.stream().distinct().count());

    JsonObject ssh = query(vertx, StorageQuery.incidents(null, null, "ssh", now - 100_000, now, now, 1000, null));
    for (Object o : ssh.getJsonArray("items")) {
      assertEquals("ssh", ((JsonObject) o).getString("rule"));
      assertTrue(((JsonObject) o).getLong("firedAt") >= now - 100_000);
    }
    assertEquals(34, ssh.getJsonArray("items").size());

    // Each incident carries the outcome of its action commands (ids "<incident>:<n>:<op>"), and no other incident's.
    await(vertx.eventBus().request(Addresses.STORAGE, StorageWrite.actionResult(new ActionResult("v-0:0:block_ip", HOST,
        "block_ip", ActionResult.Status.DONE, "applied; recording pending (block ledger write failed: disk full)", false,
        List.of("203.0.113.9"), now)).toJson()));
    await(vertx.eventBus().request(Addresses.STORAGE, StorageWrite.actionResult(new ActionResult("v-00:0:snapshot", HOST,
        "snapshot", ActionResult.Status.DONE, "", false, List.of(), now)).toJson()));
    JsonObject v0 = query(vertx, StorageQuery.incidents(HOST, Severity.CRITICAL, "ssh", now - 250_000, now - 249_999, now, 10, null))
        .getJsonArray("items").getJsonObject(0);
    assertEquals("v-0", v0.getString("id"));
    JsonArray outcomes = v0.getJsonArray("outcomes");
    assertEquals(1, outcomes.size(), outcomes.encode());
    assertEquals("done", outcomes.getJsonObject(0).getString("status"));
    assertEquals("block_ip", outcomes.getJsonObject(0).getString("op"));
    assertTrue(outcomes.getJsonObject(0).getString("reason").contains("recording pending"));

    // Blocks: active only hides a lifted ban.
    await(vertx.eventBus().request(Addresses.STORAGE, Fixtures.blockWriteJson(HOST, "203.0.113.5", now, "b1")));
    await(vertx.eventBus().request(Addresses.STORAGE, Fixtures.blockWriteJson(HOST, "203.0.113.6", now + 1, "b2")));
    await(vertx.eventBus().request(Addresses.STORAGE, new StorageWrite("u", StorageWrite.Kind.UNBLOCK,
        new Unblock(HOST, "203.0.113.5", now + 2, "operator", "").toJson()).toJson()));
    JsonArray active = query(vertx, StorageQuery.blocks(HOST, null, true, now + 3, 100, null)).getJsonArray("items");
    assertEquals(1, active.size());
    assertEquals("203.0.113.6", active.getJsonObject(0).getString("ip"));
    JsonArray all = query(vertx, StorageQuery.blocks(HOST, null, false, now + 3, 100, null)).getJsonArray("items");
    assertEquals(2, all.size());
    assertEquals("operator", all.getJsonObject(1).getString("unblockedBy"));

    // Heartbeats published on the bus become agents.
    vertx.eventBus().publish(Addresses.HEARTBEAT, new Heartbeat("db-2", "node-a", Map.of("collector", "ok"), "1.0", now,
        42, Map.of("cpu_usage", 12.5)).toJson());
    JsonArray agents = new JsonArray();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (agents.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      agents = query(vertx, StorageQuery.agents(null, now, 100)).getJsonArray("items");
    }
    assertEquals(1, agents.size());
    assertEquals("db-2", agents.getJsonObject(0).getString("host"));
    assertEquals(12.5, agents.getJsonObject(0).getJsonObject("summary").getDouble("cpu_usage"));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void malformedWritesAndQueriesAreRefusedWith400(Vertx vertx) throws Exception {
    NodeContext ctx = NodeContext.local(Fixtures.config(dir.resolve("incidents.db")));
    await(vertx.deployVerticle(new StorageVerticle(ctx)));
    JsonObject bad = StorageWrite.incident(Fixtures.incident("x", HOST, "r", Severity.INFO, 1)).toJson();
    bad.getJsonObject("payload").put("extra", 1);
    ReplyException e = failure(vertx.eventBus().request(Addresses.STORAGE, bad));
    assertEquals(400, e.failureCode());
    assertTrue(e.getMessage().contains("unknown field"), e.getMessage());
    ReplyException q = failure(vertx.eventBus().request(Addresses.STORAGE_QUERY,
        StorageQuery.incidents(null, null, null, null, null, 1, 10, "x.y").toJson()));
    assertEquals(400, q.failureCode());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void degradedStorageAlertsHoldsWritesAndRecovers(Vertx vertx) throws Exception {
    Path blocker = dir.resolve("var");
    Files.writeString(blocker, "not a directory");
    NodeContext ctx = NodeContext.local(Fixtures.config(blocker.resolve("incidents.db")));
    List<AlertRequest> alerts = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, m -> {
      alerts.add(AlertRequest.fromJson(m.body()));
      m.reply(new JsonObject().put("ok", true));
    }).completion());
    Writer.Tuning tuning = new Writer.Tuning(100, 100, Duration.ofMillis(100), Duration.ofHours(1));
    await(vertx.deployVerticle(new StorageVerticle(ctx, tuning, Duration.ofMillis(300))));
    assertEquals(StatusBoard.DEGRADED, ctx.status().snapshot().get(Role.STORAGE.wire()));
    assertTrue(ctx.status().reasons().get("storage").contains("cannot create directory"));

    List<String> acked = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>request(Addresses.STORAGE,
            StorageWrite.incident(Fixtures.incident("held", HOST, "r", Severity.INFO, 1)).toJson())
        .onSuccess(r -> acked.add(r.body().getString("id")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (alerts.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(1, alerts.size());
    Incident alerted = alerts.get(0).incident();
    assertEquals(Severity.CRITICAL, alerted.severity());
    assertEquals("storage_degraded", alerted.rule());
    assertFalse(alerted.isResolved());
    Thread.sleep(500);
    assertTrue(acked.isEmpty(), "a write was acknowledged while the database could not be written");

    Files.delete(blocker);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((acked.isEmpty() || alerts.size() < 2) && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(List.of("incident:held:firing"), acked);
    assertEquals(StatusBoard.OK, ctx.status().snapshot().get("storage"));
    assertEquals(2, alerts.size());
    assertTrue(alerts.get(1).incident().isResolved());
    assertEquals(alerted.id(), alerts.get(1).incident().id());
    assertEquals(1, Fixtures.count(blocker.resolve("incidents.db"), "SELECT count(*) FROM incidents"));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void theDegradedAlertRaisedBeforeTheAlertRoleExistsIsDeliveredOnceItDoes(Vertx vertx) throws Exception {
    // Storage starts before the alert role: its alert waits in the process's outbox, it is not dropped.
    Path blocker = dir.resolve("var");
    Files.writeString(blocker, "not a directory");
    NodeContext bare = NodeContext.local(Fixtures.config(blocker.resolve("incidents.db")));
    io.panicmode.runtime.outbox.CentralLink link = new io.panicmode.runtime.outbox.CentralLink(vertx,
        dir.resolve("outbox.db"), 1000, 2000, bare.metrics());
    await(link.start());
    NodeContext ctx = bare.withCentral(link);
    await(vertx.deployVerticle(new StorageVerticle(ctx, new Writer.Tuning(100, 100, Duration.ofMillis(100),
        Duration.ofHours(1)))));
    Thread.sleep(1000); // "No handlers for address panicmode.alerts" meanwhile
    List<AlertRequest> alerts = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, m -> {
      alerts.add(AlertRequest.fromJson(m.body()));
      m.reply(new JsonObject().put("ok", true));
    }).completion());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (alerts.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(1, alerts.size());
    assertEquals("storage_degraded", alerts.get(0).incident().rule());
    assertEquals(0, ctx.metrics().counterTotal("panicmode_storage_alerts_failed_total"));
    await(link.stop());
  }

  private static ReplyException failure(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (java.util.concurrent.ExecutionException e) {
      return (ReplyException) e.getCause();
    }
    throw new AssertionError("expected a failure reply");
  }

  @Test
  void undeployClosesTheDatabase(Vertx vertx) throws Exception {
    Path db = dir.resolve("closed.db");
    NodeContext ctx = NodeContext.local(Fixtures.config(db));
    String id = await(vertx.deployVerticle(new StorageVerticle(ctx)));
    await(vertx.eventBus().request(Addresses.STORAGE, StorageWrite.incident(Fixtures.incident("c", HOST, "r", Severity.INFO, 1)).toJson()));
    await(vertx.undeploy(id));
    assertNull(ctx.status().snapshot().get("storage"));
    // Closed cleanly: the WAL was checkpointed into the main file and removed.
    assertFalse(Files.exists(Path.of(db + "-wal")) && Files.size(Path.of(db + "-wal")) > 0);
    assertEquals(1, Fixtures.count(db, "SELECT count(*) FROM incidents"));
  }
}
