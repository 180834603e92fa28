package io.panicmode.api.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.Subjects;
import io.panicmode.testing.Await;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard routes as mounted in the real api verticle.
 *
 * <p>Each response's handlers are attached inside the {@code send()} callback. Chained after it
 * instead, they could be attached a tick after the response had arrived on another event loop, and
 * the body was then never delivered: about one request in a hundred hung although the server had
 * answered (the old "history test timed out once in five runs").
 *
 * <p>Only the stream test runs with a short (1 s) request timeout, which is also the deadline for a
 * new connection's first request; a loaded machine can miss that one second.
 */
class DashboardRoutesTest {
  @TempDir Path dir;
  private Harness harness;
  private HttpClient client;

  private void start(String requestTimeout) throws Exception {
    harness = new Harness(dir, requestTimeout);
    client = harness.vertx.createHttpClient();
  }

  private void start() throws Exception {
    start("10s");
  }

  @AfterEach
  void stop() throws Exception {
    if (harness != null) harness.close();
  }

  /** Opens the event stream and feeds every complete SSE frame into the returned queue. */
  private LinkedBlockingQueue<String> openStream(HttpClientResponse[] holder) throws Exception {
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    StringBuilder pending = new StringBuilder();
    // The handler is set in the tick the response arrives in, so no chunk can slip past it.
    holder[0] = Await.result(client.request(HttpMethod.GET, harness.port, "127.0.0.1", "/api/v1/events")
        .compose(r -> r.send().onSuccess(resp -> resp.handler(buf -> {
          pending.append(buf.toString());
          int end;
          while ((end = pending.indexOf("\n\n")) >= 0) {
            frames.add(pending.substring(0, end));
            pending.delete(0, end + 2);
          }
        }))));
    return frames;
  }

  /** The data of the next frame of this event type; frames of other types are skipped. */
  private static String next(LinkedBlockingQueue<String> frames, String event) throws InterruptedException {
    while (true) {
      String f = frames.poll(Await.BACKSTOP.toSeconds(), TimeUnit.SECONDS);
      if (f == null) throw new AssertionError("no " + event + " event");
      if (f.startsWith("event: " + event + "\n")) return f.substring(f.indexOf("data: ") + 6);
    }
  }

  @Test
  void streamRelaysIncidentsAndOutlivesTheRequestTimeout() throws Exception {
    start("1s");
    // A kept-alive connection first, retried until the api answers within the 1 s first-request
    // deadline; the stream then goes over it, where only the request timeout could cut it.
    Await.until("the api answering on a kept-alive connection", () -> {
      try {
        return fetch("/health").status() == 200;
      } catch (io.vertx.core.http.HttpClosedException slowStart) {
        return false;
      }
    });
    HttpClientResponse[] resp = new HttpClientResponse[1];
    LinkedBlockingQueue<String> frames = openStream(resp);
    assertEquals(200, resp[0].statusCode());
    assertTrue(resp[0].getHeader("Content-Type").startsWith("text/event-stream"));
    // Real time past the 1 s request timeout: the timeout is a Vert.x timer on the real clock.
    Thread.sleep(1_800);
    Incident inc = new Incident("i-1", Harness.HOST, "high_cpu", "cpu_usage", Severity.CRITICAL, Incident.State.FIRING,
        "line one\nevent: fake", "", 97, 80, Subjects.NONE, List.of("alert_critical"), 1_000, null);
    harness.vertx.eventBus().publish(Addresses.INCIDENTS, inc.toJson());
    JsonObject got = new JsonObject(next(frames, "incident"));
    assertEquals(inc.toJson(), got);
  }

  @Test
  void aClosedStreamIsForgottenAtOnce() throws Exception {
    start();
    HttpClientResponse[] resp = new HttpClientResponse[1];
    openStream(resp);
    assertEquals(1, streams());
    Await.result(resp[0].request().connection().close());
    // No timer is involved: the stream slot goes with the connection's close event.
    Await.until("the stream slot freed (a browser that navigates away must not keep it)", () -> streams() == 0);
  }

  private long streams() {
    return harness.ctx.metrics().renderPrometheus().lines().filter(l -> l.startsWith("panicmode_dashboard_streams "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
  }

  @Test
  void malformedMessagesAreCountedAndNotRelayed() throws Exception {
    start();
    LinkedBlockingQueue<String> frames = openStream(new HttpClientResponse[1]);
    harness.vertx.eventBus().publish(Addresses.INCIDENTS, new JsonObject().put("v", 1).put("id", "x"));
    Heartbeat hb = new Heartbeat(Harness.HOST, "n1", Map.of("api", "ok"), "t", 5, 1, Map.of("cpu_usage", 12.0));
    harness.vertx.eventBus().publish(Addresses.HEARTBEAT, hb.toJson());
    assertEquals(hb.toJson(), new JsonObject(next(frames, "heartbeat")));
    JsonObject point = new JsonObject(next(frames, "metrics"));
    assertEquals(Harness.HOST, point.getString("host"));
    assertEquals(12.0, point.getDouble("cpu_usage"));
    assertEquals(1, harness.ctx.metrics().counterValue("panicmode_dashboard_messages_malformed_total"),
        harness.ctx.metrics().renderPrometheus());
  }

  @Test
  void historyServesLocalSnapshotsAndRejectsBadHostIds() throws Exception {
    start();
    harness.vertx.eventBus().publish(Addresses.metrics(Harness.HOST), new MetricsSnapshot(Harness.HOST, 1,
        Map.of("cpu_usage", 42.0, "connections_total", 9.0), Map.of(), Map.of()).toJson());
    JsonObject body = Await.value("the snapshot in the history", () -> get("/api/v1/history/" + Harness.HOST, 200),
        b -> !b.getJsonArray("points").isEmpty());
    assertEquals(42.0, body.getJsonArray("points").getJsonObject(0).getDouble("cpu_usage"));
    assertTrue(get("/api/v1/history", 200).getJsonArray("hosts").contains(Harness.HOST));
    assertTrue(get("/api/v1/history/bad%20host", 400).getString("error").contains("host"));
  }

  @Test
  void dashboardPagesCarryASecurityPolicyAndApiRoutesDoNot() throws Exception {
    start();
    Fetched page = fetch("/");
    assertEquals(200, page.status());
    assertTrue(page.headers().get("Content-Security-Policy").contains("default-src 'self'"));
    assertEquals("nosniff", page.headers().get("X-Content-Type-Options"));
    assertTrue(page.body().contains("app.js"));
    assertFalse(fetch("/api/v1/history").headers().contains("Content-Security-Policy"));
  }

  private record Fetched(int status, io.vertx.core.MultiMap headers, String body) {}

  /** A GET whose body handler is attached in the tick the response arrives in (see the class comment). */
  private Fetched fetch(String path) throws Exception {
    return Await.result(client.request(HttpMethod.GET, harness.port, "127.0.0.1", path)
        .compose(req -> req.send().compose(r -> r.body().map(b -> new Fetched(r.statusCode(), r.headers(), b.toString())))));
  }

  private JsonObject get(String path, int status) throws Exception {
    Fetched f = fetch(path);
    assertEquals(status, f.status(), path);
    return new JsonObject(f.body());
  }
}
