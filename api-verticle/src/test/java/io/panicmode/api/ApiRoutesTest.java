package io.panicmode.api;

import static io.panicmode.api.ApiHarness.HOST;
import static io.panicmode.api.ApiHarness.TOKEN;
import static io.panicmode.api.ApiHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertDelivery;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every route against the real storage verticle and a stand-in action verticle: success, bad input, auth. */
class ApiRoutesTest {
  @TempDir static Path dir;
  static ApiHarness h;
  static final long NOW = System.currentTimeMillis();

  @BeforeAll
  static void start() throws Exception {
    h = new ApiHarness(dir, "token: " + TOKEN);
    List<Future<?>> acks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String host = i % 3 == 0 ? "db-2" : HOST;
      Severity sev = i % 4 == 0 ? Severity.CRITICAL : Severity.WARNING;
      Incident inc = new Incident("i-" + i, host, i % 2 == 0 ? "ssh_brute_force" : "high_cpu", "cpu_usage", sev,
          Incident.State.FIRING, "desc " + i, "", 90, 80, Subjects.NONE, List.of("alert_warning"), NOW - (60 - i) * 60_000L, null);
      acks.add(h.vertx.eventBus().request(Addresses.STORAGE, StorageWrite.incident(inc).toJson()));
    }
    Await.result(Future.all(acks));
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @Test
  void healthReportsLocalRolesAndDegradedProcessesOfThisHost() throws Exception {
    HttpResponse<String> r = h.get("/health");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonObject body = json(r);
    assertEquals("ok", body.getString("status"));
    assertEquals("test-1.0", body.getString("version"));
    assertEquals("ok", body.getJsonObject("roles").getString("api"));
    assertEquals("ok", body.getJsonObject("roles").getString("storage"));
    assertTrue(body.getLong("uptime_secs") >= 0);

    // The privileged action process of this host reports itself degraded: health says so.
    h.vertx.eventBus().publish(Addresses.HEARTBEAT, new Heartbeat(HOST, "action-node", Map.of("action", "degraded"), "1",
        System.currentTimeMillis(), 5, Map.of()).toJson());
    JsonObject degraded = poll("/health", b -> b.getString("status").equals("degraded"));
    assertEquals("degraded", degraded.getJsonObject("roles").getString("action"));
    h.vertx.eventBus().publish(Addresses.HEARTBEAT, new Heartbeat(HOST, "action-node", Map.of("action", "ok"), "1",
        System.currentTimeMillis(), 6, Map.of()).toJson());
    poll("/health", b -> b.getString("status").equals("ok"));
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    HttpResponse<String> r = h.get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    for (String name : List.of("# TYPE jvm_memory_bytes_used gauge", "jvm_memory_bytes_used{area=\"heap\"}",
        "panicmode_storage_writes_total", "panicmode_storage_queue_depth", "panicmode_api_requests_total{",
        "process_resident_memory_bytes", "panicmode_build_info{version=\"test-1.0\"} 1")) {
      assertTrue(r.body().contains(name), name + " missing from /metrics");
    }
    for (String line : r.body().split("\n")) {
      assertTrue(line.startsWith("#") || line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? -?[0-9.eE+-]+|.* NaN"), "bad line: " + line);
    }
  }

  /** An incident's detail carries each action's outcome and each alert delivery round, as stored. */
  @Test
  void anIncidentCarriesItsActionOutcomesAndAlertDeliveries() throws Exception {
    Incident inc = new Incident("i-detail", HOST, "ssh_brute_force", "auth_failures", Severity.CRITICAL, Incident.State.FIRING,
        "ssh_brute_force exceeded threshold: 9 > 5", "", 9, 5, Subjects.ofIps(List.of("10.0.0.9")),
        List.of("block_ip", "alert_critical"), NOW - 30 * 60_000L - 500, null);
    Await.result(h.vertx.eventBus().request(Addresses.STORAGE, StorageWrite.incident(inc).toJson()));
    Await.result(h.vertx.eventBus().request(Addresses.STORAGE, StorageWrite.actionResult(new ActionResult("i-detail:0:block_ip", HOST,
        "block_ip", ActionResult.Status.SKIPPED, "10.0.0.9: private address, never blocked", false, List.of(), NOW)).toJson()));
    Await.result(h.vertx.eventBus().request(Addresses.STORAGE, StorageWrite.alertDelivery(new AlertDelivery("i-detail:firing",
        "i-detail", HOST, "telegram", 2, AlertDelivery.Outcome.DELIVERED, "", NOW + 1)).toJson()));
    JsonArray items = json(h.get("/api/v1/incidents?rule=ssh_brute_force&severity=critical&limit=1000")).getJsonArray("items");
    JsonObject got = items.stream().map(o -> (JsonObject) o).filter(i -> i.getString("id").equals("i-detail")).findFirst()
        .orElseThrow();
    JsonObject outcome = got.getJsonArray("outcomes").getJsonObject(0);
    assertEquals("skipped", outcome.getString("status"));
    assertTrue(outcome.getString("reason").contains("private address"));
    JsonObject delivery = got.getJsonArray("deliveries").getJsonObject(0);
    assertEquals("telegram", delivery.getString("channel"));
    assertEquals(2, delivery.getInteger("attempts"));
    assertEquals("delivered", delivery.getString("outcome"));
    assertEquals(NOW + 1, delivery.getLong("at"));
    for (Object o : items) {
      if (!((JsonObject) o).getString("id").equals("i-detail")) assertTrue(((JsonObject) o).getJsonArray("deliveries").isEmpty());
    }
  }

  @Test
  void incidentsFilterAndPage() throws Exception {
    JsonObject all = json(h.get("/api/v1/incidents?limit=1000"));
    // The 60 fixtures, and the one anIncidentCarriesItsActionOutcomesAndAlertDeliveries may have stored.
    assertEquals(60, all.getJsonArray("items").stream().filter(o -> !((JsonObject) o).getString("id").equals("i-detail")).count());
    assertNull(all.getString("next"));

    Set<String> seen = new HashSet<>();
    String path = "/api/v1/incidents?host=web-1&rule=high_cpu&limit=4";
    String next;
    do {
      HttpResponse<String> r = h.get(path);
      assertEquals(200, r.statusCode(), r.body());
      JsonObject page = json(r);
      for (Object o : page.getJsonArray("items")) {
        JsonObject i = (JsonObject) o;
        assertEquals(HOST, i.getString("host"));
        assertEquals("high_cpu", i.getString("rule"));
        assertTrue(seen.add(i.getString("id")));
      }
      next = page.getString("next");
      path = "/api/v1/incidents?host=web-1&rule=high_cpu&limit=4&cursor=" + next;
    } while (next != null);
    assertEquals(20, seen.size()); // odd i (30) minus those on db-2 (i % 3 == 0: 10)

    JsonArray recent = json(h.get("/api/v1/incidents?since=10m&severity=critical")).getJsonArray("items");
    for (Object o : recent) {
      assertEquals("critical", ((JsonObject) o).getString("severity"));
      assertTrue(((JsonObject) o).getLong("firedAt") >= NOW - 10 * 60_000L - 5_000);
    }
    assertEquals(2, recent.size()); // i = 52, 56 fired in the last 10 minutes
    String until = java.time.Instant.ofEpochMilli(NOW - 59 * 60_000L).toString();
    assertEquals(1, json(h.get("/api/v1/incidents?until=" + until)).getJsonArray("items").size());
  }

  static Stream<Arguments> badReads() {
    return Stream.of(
        Arguments.of("/api/v1/incidents?severity=urgent", "severity"),
        Arguments.of("/api/v1/incidents?since=yesterday", "since"),
        Arguments.of("/api/v1/incidents?since=366d", "since: must be between 0s and 365d ago"),
        Arguments.of("/api/v1/incidents?until=100000d", "until: must be between 0s and 365d ago"),
        Arguments.of("/api/v1/incidents?since=2026-13-01T00:00:00Z", "since"),
        Arguments.of("/api/v1/incidents?since=1h&until=2h", "since"),
        Arguments.of("/api/v1/incidents?limit=0", "limit"),
        Arguments.of("/api/v1/incidents?limit=5000", "limit"),
        Arguments.of("/api/v1/incidents?limit=ten", "limit"),
        Arguments.of("/api/v1/incidents?cursor=abc", "cursor"),
        Arguments.of("/api/v1/incidents?host=bad.host", "host"),
        Arguments.of("/api/v1/incidents?hostname=web-1", "unknown query parameter"),
        Arguments.of("/api/v1/incidents?host=web-1&host=db-2", "more than once"),
        Arguments.of("/api/v1/blocks?ip=010.0.0.1", "ip"),
        Arguments.of("/api/v1/blocks?all=maybe", "all"),
        Arguments.of("/api/v1/agents?host=%00", "host"));
  }

  @ParameterizedTest
  @MethodSource("badReads")
  void badQueryParametersAre400WithJsonError(String path, String mentions) throws Exception {
    HttpResponse<String> r = h.get(path);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(json(r).getString("error").contains(mentions), r.body());
  }

  @Test
  void manualBlockGoesThroughTheActionVerticleThenTheLedger() throws Exception {
    HttpResponse<String> r = h.send("POST", "/api/v1/blocks",
        "{\"ip\":\"::ffff:198.51.100.20\",\"duration\":\"1h\",\"reason\":\"abuse report\"}", TOKEN);
    assertEquals(201, r.statusCode(), r.body());
    JsonObject body = json(r);
    assertEquals("198.51.100.20", body.getString("ip"));
    assertEquals(HOST, body.getString("host"));
    assertTrue(body.getBoolean("recorded"));
    long expires = body.getLong("expiresAt");
    assertTrue(Math.abs(expires - (System.currentTimeMillis() + 3_600_000)) < 60_000);
    var cmd = h.commands.stream().filter(c -> c.id().equals(body.getString("commandId"))).findFirst().orElseThrow();
    assertEquals("block_ip", cmd.op());
    assertEquals(List.of("198.51.100.20"), cmd.ips());
    assertEquals(3600, cmd.durationSecs());
    assertEquals("operator", cmd.issuedBy());

    JsonArray active = json(h.get("/api/v1/blocks?host=web-1")).getJsonArray("items");
    JsonObject row = find(active, "198.51.100.20");
    assertEquals("abuse report", row.getString("reason"));
    assertEquals(1, row.getInteger("count")); // the action verticle's and the api's reports are one ledger entry
    assertEquals(expires, row.getLong("expiresAt"), 60_000);

    HttpResponse<String> del = h.send("DELETE", "/api/v1/blocks/198.51.100.20?reason=false+positive", null, TOKEN);
    assertEquals(200, del.statusCode(), del.body());
    assertEquals("unblocked", json(del).getString("status"));
    assertNull(findOrNull(json(h.get("/api/v1/blocks")).getJsonArray("items"), "198.51.100.20"));
    JsonObject lifted = find(json(h.get("/api/v1/blocks?all=true&ip=198.51.100.20")).getJsonArray("items"), "198.51.100.20");
    assertFalse(lifted.getBoolean("active"));
    assertEquals("operator", lifted.getString("unblockedBy"));
    assertEquals("false positive", lifted.getString("unblockReason"));
  }

  /**
   * Defect 1 of issue 15: with neither a duration in the request nor {@code firewall.ban_duration}
   * (this harness sets none, like the shipped config) the handler unboxed a null and the request
   * hung until the deadline although the ban was applied. Now: 201 and a permanent ban.
   */
  @Test
  void aBlockWithoutDurationAndWithoutBanDurationIs201AndPermanent() throws Exception {
    assertNull(h.ctx.config().firewall().banDuration(), "the harness config has no firewall.ban_duration");
    HttpResponse<String> r = h.send("POST", "/api/v1/blocks", "{\"ip\":\"198.51.100.44\"}", TOKEN);
    assertEquals(201, r.statusCode(), r.body());
    assertNull(json(r).getValue("expiresAt"), r.body());
    var cmd = h.commands.stream().filter(c -> c.id().equals(json(r).getString("commandId"))).findFirst().orElseThrow();
    assertEquals(0, cmd.durationSecs(), "0: the action role's own default, permanent when it has none");
    assertEquals(200, h.send("DELETE", "/api/v1/blocks/198.51.100.44", null, TOKEN).statusCode());
  }

  @Test
  void actionResultsDecideTheStatus() throws Exception {
    HttpResponse<String> skipped = h.send("POST", "/api/v1/blocks", "{\"ip\":\"203.0.113.66\"}", TOKEN);
    assertEquals(409, skipped.statusCode());
    assertTrue(json(skipped).getString("error").contains("whitelisted"));
    assertEquals("skipped", json(skipped).getJsonObject("result").getString("status"));
    HttpResponse<String> failed = h.send("POST", "/api/v1/blocks", "{\"ip\":\"203.0.113.77\"}", TOKEN);
    assertEquals(503, failed.statusCode());
    assertNull(findOrNull(json(h.get("/api/v1/blocks?all=true")).getJsonArray("items"), "203.0.113.66"));
    HttpResponse<String> ghost = h.send("POST", "/api/v1/blocks", "{\"ip\":\"203.0.113.5\",\"host\":\"ghost\"}", TOKEN);
    assertEquals(404, ghost.statusCode());
    assertTrue(json(ghost).getString("error").contains("unknown host ghost"));
    assertEquals(404, h.send("DELETE", "/api/v1/blocks/203.0.113.5?host=ghost", null, TOKEN).statusCode());
    assertEquals(404, h.send("POST", "/api/v1/processes/4242/thaw", "{\"host\":\"ghost\"}", TOKEN).statusCode());
  }

  static Stream<Arguments> badBlocks() {
    return Stream.of(
        Arguments.of("{\"ip\":\"010.0.0.1\"}", "ip"),
        Arguments.of("{\"ip\":\"1.2.3.4;id\"}", "ip"),
        Arguments.of("{\"ip\":\"fe80::1%eth0\"}", "ip"),
        Arguments.of("{\"ip\":\"167772161\"}", "ip"),
        Arguments.of("{\"ip\":\" 1.2.3.4\"}", "ip"),
        Arguments.of("{}", "ip"),
        Arguments.of("{\"ip\":5}", "ip"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"durationSecs\":5}", "unknown field"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"duration\":\"forever\"}", "duration"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"duration\":\"0s\"}", "duration"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"duration\":\"9223372036854775807\"}", "at most 365d"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"duration\":\"100000d\"}", "at most 365d"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"duration\":\"366d\"}", "at most 365d"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"host\":\"a b\"}", "host"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"reason\":\"line\\nbreak\"}", "reason"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"reason\":\"" + "x".repeat(501) + "\"}", "reason"),
        Arguments.of("{\"ip\":", "malformed JSON"),
        Arguments.of("{\"ip\":\"203.0.113.1\",\"reason\":" + "[".repeat(900) + "]".repeat(900) + "}",
            "JSON nested deeper than 32 levels"),
        Arguments.of("[".repeat(60_000), "JSON nested deeper than 32 levels"),
        Arguments.of("[\"203.0.113.1\"]", "JSON object"),
        Arguments.of("", "JSON object"));
  }

  @ParameterizedTest
  @MethodSource("badBlocks")
  void badBlockRequestsAre400AndNothingIsSent(String body, String mentions) throws Exception {
    int before = h.commands.size();
    HttpResponse<String> r = h.send("POST", "/api/v1/blocks", body, TOKEN);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(json(r).getString("error").contains(mentions), r.body());
    assertEquals(before, h.commands.size());
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    String big = "{\"ip\":\"203.0.113.1\",\"reason\":\"" + "x".repeat(70_000) + "\"}";
    HttpResponse<String> r = h.send("POST", "/api/v1/blocks", big, TOKEN);
    assertEquals(413, r.statusCode());
    assertTrue(json(r).getString("error").contains("larger than"));
  }

  static Stream<Arguments> mutatingRoutes() {
    return Stream.of(
        Arguments.of("POST", "/api/v1/blocks", "{\"ip\":\"203.0.113.1\"}"),
        Arguments.of("DELETE", "/api/v1/blocks/203.0.113.1", null),
        Arguments.of("POST", "/api/v1/processes/4242/thaw", null),
        Arguments.of("POST", "/api/v1/reload", null),
        Arguments.of("GET", "/api/v1/auth", null));
  }

  @Test
  void authAcceptsTheRightTokenAndChangesNothing() throws Exception {
    int before = h.commands.size();
    HttpResponse<String> ok = h.send("GET", "/api/v1/auth", null, TOKEN);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("valid", json(ok).getString("token"));
    assertEquals(before, h.commands.size());
  }

  @ParameterizedTest
  @MethodSource("mutatingRoutes")
  void mutatingRoutesNeedTheToken(String method, String path, String body) throws Exception {
    int before = h.commands.size();
    HttpResponse<String> none = h.send(method, path, body, null);
    assertEquals(401, none.statusCode());
    assertEquals("Bearer realm=\"panicmode\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals("missing bearer token", json(none).getString("error"));
    HttpResponse<String> wrong = h.send(method, path, body, TOKEN + "x");
    assertEquals(403, wrong.statusCode());
    assertEquals(403, h.send(method, path, body, TOKEN.substring(1)).statusCode());
    assertEquals(before, h.commands.size());
  }

  @Test
  void thawByPid() throws Exception {
    HttpResponse<String> ok = h.send("POST", "/api/v1/processes/4242/thaw", null, TOKEN);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("thawed", json(ok).getString("status"));
    var cmd = h.commands.get(h.commands.size() - 1);
    assertEquals("thaw", cmd.op());
    assertEquals(4242, cmd.processes().get(0).pid());
    assertEquals(409, h.send("POST", "/api/v1/processes/99/thaw", "{\"startTime\":12345}", TOKEN).statusCode());
    assertEquals(12345, h.commands.get(h.commands.size() - 1).processes().get(0).startTime());
    assertEquals(400, h.send("POST", "/api/v1/processes/abc/thaw", null, TOKEN).statusCode());
    assertEquals(400, h.send("POST", "/api/v1/processes/0/thaw", null, TOKEN).statusCode());
    assertEquals(400, h.send("POST", "/api/v1/processes/99999999999/thaw", null, TOKEN).statusCode());
    assertEquals(400, h.send("POST", "/api/v1/processes/1/thaw", "{\"startTime\":-1}", TOKEN).statusCode());
  }

  @Test
  void agentsMergeStorageAndHeartbeatsWithStaleFlag() throws Exception {
    long now = System.currentTimeMillis();
    h.vertx.eventBus().publish(Addresses.HEARTBEAT, new Heartbeat("db-2", "agent", Map.of("collector", "ok", "detector", "ok"),
        "1.2", now, 100, Map.of("cpu_usage", 42.0)).toJson());
    h.vertx.eventBus().publish(Addresses.HEARTBEAT, new Heartbeat("db-2", "action", Map.of("action", "ok"), "1.2", now, 100,
        Map.of()).toJson());
    h.vertx.eventBus().publish(Addresses.HEARTBEAT, new Heartbeat("old-1", "agent", Map.of("collector", "ok"), "1.0",
        now - 600_000, 100, Map.of()).toJson());
    JsonObject body = poll("/api/v1/agents", b -> b.getJsonArray("items").size() >= 2);
    JsonObject db2 = find(body.getJsonArray("items"), "db-2");
    assertEquals(Set.of("collector", "detector", "action"), db2.getJsonObject("roles").fieldNames());
    assertFalse(db2.getBoolean("stale"));
    assertEquals(42.0, db2.getJsonObject("summary").getDouble("cpu_usage"));
    assertEquals(2, db2.getJsonArray("nodes").size());
    assertTrue(find(body.getJsonArray("items"), "old-1").getBoolean("stale"));
    JsonArray only = json(h.get("/api/v1/agents?host=old-1")).getJsonArray("items");
    assertEquals(1, only.size());
  }

  @Test
  void reloadCallsTheLaunchersHook() throws Exception {
    h.api.setReloadHandler(null);
    assertEquals(503, h.send("POST", "/api/v1/reload", null, TOKEN).statusCode());
    h.api.setReloadHandler(() -> Future.succeededFuture(List.of()));
    HttpResponse<String> ok = h.send("POST", "/api/v1/reload", null, TOKEN);
    assertEquals(200, ok.statusCode());
    assertEquals("reloaded", json(ok).getString("status"));
    h.api.setReloadHandler(() -> Future.succeededFuture(List.of("monitors[0].threshold: must be >= 0, got -5")));
    HttpResponse<String> bad = h.send("POST", "/api/v1/reload", null, TOKEN);
    assertEquals(400, bad.statusCode());
    assertEquals("monitors[0].threshold: must be >= 0, got -5", json(bad).getJsonArray("errors").getString(0));
  }

  @Test
  void anExceptionInARouteCallbackIsAnImmediate500WithAnErrorId() throws Exception {
    List<String> throwing = new java.util.AbstractList<>() {
      @Override
      public String get(int index) {
        throw new IllegalStateException("route bug");
      }

      @Override
      public int size() {
        throw new IllegalStateException("route bug");
      }
    };
    // The exception is thrown in a callback after the handler returned: only the context's handler sees it.
    h.api.setReloadHandler(() -> h.vertx.timer(1).map(x -> throwing));
    try {
      HttpResponse<String> r = h.send("POST", "/api/v1/reload", null, TOKEN);
      assertEquals(500, r.statusCode(), "a timeout would answer 503: " + r.body());
      assertEquals("internal error", json(r).getString("error"));
      assertTrue(json(r).getString("errorId").matches("[0-9a-f]{8}"), r.body());
    } finally {
      h.api.setReloadHandler(() -> Future.succeededFuture(List.of()));
    }
  }

  @Test
  void unknownRoutesAndMethodsAreJsonErrors() throws Exception {
    HttpResponse<String> missing = h.get("/api/v1/nothing");
    assertEquals(404, missing.statusCode());
    assertNotNull(json(missing).getString("error"));
    HttpResponse<String> method = h.send("PUT", "/api/v1/incidents", "{}", TOKEN);
    assertEquals(405, method.statusCode());
    assertEquals("method not allowed", json(method).getString("error"));
  }

  private static JsonObject poll(String path, java.util.function.Predicate<JsonObject> done) throws Exception {
    return Await.value(path, () -> json(h.get(path)), done);
  }

  private static JsonObject find(JsonArray items, String key) {
    JsonObject o = findOrNull(items, key);
    if (o == null) throw new AssertionError(key + " not in " + items.encode());
    return o;
  }

  private static JsonObject findOrNull(JsonArray items, String key) {
    for (Object o : items) {
      JsonObject j = (JsonObject) o;
      if (key.equals(j.getString("ip")) || key.equals(j.getString("host"))) return j;
    }
    return null;
  }
}
