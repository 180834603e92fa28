package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Severity;
import io.panicmode.runtime.NodeContext;
import io.panicmode.testing.Await;
import io.panicmode.testing.SteppedClock;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP 500, 429 with Retry-After, a server that never answers, a refused connection and
 * 4xx: each ends in the right retries, failover to the next channel and breaker state.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FailureModesTest {
  @TempDir Path dir;
  Vertx vertx;
  FakeHttp a;
  FakeHttp b;
  NodeContext ctx;
  /** Breakers run on it: a test steps over an open duration instead of sleeping through it. */
  private final SteppedClock clock = new SteppedClock();
  Harness.Captured err = new Harness.Captured();
  String deployment;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    a = FakeHttp.start(vertx);
    b = FakeHttp.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (deployment != null) Harness.undeploy(vertx, deployment);
    a.close();
    b.close();
  }

  /** critical: webhook A (primary) then webhook B (fallback). */
  private void deploy(String aUrl, int retries, String timeout, String extra) throws Exception {
    PanicConfig c = Harness.config(dir, """
        alerts:
          critical:
            - channel: webhook
              webhook_url: "%s/a"
              retries: %d
              timeout: %s
            - channel: webhook
              webhook_url: "%s/b"
              retries: 0
        %s
        """.formatted(aUrl, retries, timeout, b.base(), extra));
    ctx = Harness.ctx(c, clock);
    deployment = Harness.deploy(vertx, new AlertVerticle(ctx, Harness.tuning(err.stream)));
  }

  private long metric(String name, String channel) {
    return ctx.metrics().counterValue(name, "channel", channel);
  }

  @Test
  void http500IsRetriedOnTheSameChannel() throws Exception {
    deploy(a.base(), 3, "2s", "");
    a.then(FakeHttp.Reply.status(500), FakeHttp.Reply.status(502));
    Harness.send(vertx, Harness.request("r500", Severity.CRITICAL));
    a.next();
    a.next();
    FakeHttp.Req third = a.next();
    assertEquals("r500:firing", third.header("Idempotency-Key"));
    Await.until("sent", () -> metric("panicmode_alert_sent_total", "webhook") == 1);
    assertEquals(2, metric("panicmode_alert_retried_total", "webhook"));
    assertEquals(0, metric("panicmode_alert_failed_total", "webhook"));
    b.expectNothing(300);
  }

  @Test
  void http429WaitsForRetryAfter() throws Exception {
    deploy(a.base(), 2, "2s", "");
    a.then(FakeHttp.Reply.withHeader(429, "Retry-After", "1"));
    Harness.send(vertx, Harness.request("r429", Severity.CRITICAL));
    FakeHttp.Req first = a.next();
    FakeHttp.Req second = a.next();
    long gapMs = (second.atNanos() - first.atNanos()) / 1_000_000;
    assertTrue(gapMs >= 950, "Retry-After: 1 must be honoured, retried after " + gapMs + " ms");
    b.expectNothing(200);
  }

  @Test
  void serverThatNeverAnswersTimesOutAndFailsOver() throws Exception {
    a.otherwise(r -> FakeHttp.Reply.hanging());
    deploy(a.base(), 1, "300ms", "");
    long t0 = System.nanoTime();
    Harness.send(vertx, Harness.request("rhang", Severity.CRITICAL));
    a.next();
    a.next();
    FakeHttp.Req viaB = b.next();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("/b", viaB.path());
    assertTrue(ms >= 600, "two 300 ms attempts then failover, took " + ms + " ms");
    assertEquals(1, metric("panicmode_alert_failed_total", "webhook"));
    Await.until("sent on B", () -> metric("panicmode_alert_sent_total", "webhook-2") == 1);
    a.expectNothing(300);
  }

  @Test
  void refusedConnectionFailsOver() throws Exception {
    NetServer closed = vertx.createNetServer().connectHandler(so -> so.close()).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    int port = closed.actualPort();
    closed.close().toCompletionStage().toCompletableFuture().get();
    deploy("http://127.0.0.1:" + port, 2, "1s", "");
    Harness.send(vertx, Harness.request("rrefused", Severity.CRITICAL));
    assertEquals("/b", b.next().path());
    Await.until("failed count", () -> metric("panicmode_alert_failed_total", "webhook") == 1);
    assertEquals(2, metric("panicmode_alert_retried_total", "webhook"));
  }

  @Test
  void clientErrorIsNotRetried() throws Exception {
    a.otherwise(r -> FakeHttp.Reply.status(401));
    deploy(a.base(), 3, "1s", "");
    Harness.send(vertx, Harness.request("r401", Severity.CRITICAL));
    a.next();
    assertEquals("/b", b.next().path());
    a.expectNothing(300);
    assertEquals(0, metric("panicmode_alert_retried_total", "webhook"));
  }

  @Test
  void breakerOpensAndLaterAlertsSkipTheChannel() throws Exception {
    a.otherwise(r -> FakeHttp.Reply.status(500));
    deploy(a.base(), 0, "1s", """
        circuit_breakers:
          max_failures: 2
          failure_window: 60s
          open_duration: 60s
        """);
    for (int i = 0; i < 4; i++) {
      Harness.send(vertx, Harness.request("rb" + i, Severity.CRITICAL));
      assertEquals("/b", b.next().path());
    }
    assertEquals(2, a.all.size(), "after two failures the open breaker keeps alerts away from A");
    assertEquals(2.0, Double.parseDouble(ctx.metrics().renderPrometheus().lines()
        .filter(l -> l.startsWith("panicmode_alert_breaker_state{channel=\"webhook\"}")).findFirst().orElseThrow()
        .split(" ")[1]));
  }

  @Test
  void openBreakerLetsAProbeThroughAfterOpenDurationAndClosesOnSuccess() throws Exception {
    a.then(FakeHttp.Reply.status(500));
    deploy(a.base(), 0, "1s", """
        circuit_breakers:
          max_failures: 1
          failure_window: 60s
          open_duration: 500ms
        """);
    Harness.send(vertx, Harness.request("p0", Severity.CRITICAL));
    assertEquals("/a", a.next().path());
    assertEquals("/b", b.next().path());
    Harness.send(vertx, Harness.request("p1", Severity.CRITICAL));
    assertEquals("/b", b.next().path(), "open: A skipped");
    a.expectNothing(100);
    clock.advance(Duration.ofMillis(500));
    Harness.send(vertx, Harness.request("p2", Severity.CRITICAL));
    assertEquals("p2:firing", a.next().header("Idempotency-Key"), "half-open: one probe reaches A");
    Await.until("breaker closed again",
        () -> ctx.metrics().renderPrometheus().contains("panicmode_alert_breaker_state{channel=\"webhook\"} 0.0"));
    b.expectNothing(200);
  }

  @Test
  void everyChannelFailingIsReportedAndTheAlertStaysQueuedUntilDelivered() throws Exception {
    a.otherwise(r -> FakeHttp.Reply.status(503));
    b.otherwise(r -> FakeHttp.Reply.status(503));
    deploy(a.base(), 0, "1s", "");
    Harness.send(vertx, Harness.request("rall", Severity.CRITICAL));
    Await.until("LOST line", () -> err.text().contains("[PANICMODE ALERT LOST]"));
    String lost = err.text();
    assertTrue(lost.contains("[PANICMODE ALERT LOST] [CRITICAL] high_cpu: high_cpu exceeded threshold"), lost);
    assertTrue(lost.contains("webhook: HTTP 503; webhook-2: HTTP 503"), lost);
    assertTrue(lost.contains("kept in the outbox"), lost);
    assertEquals("pending", state("rall:firing"));

    b.otherwise(r -> FakeHttp.Reply.status(200));
    Await.until("a later round", () -> b.all.stream().filter(r -> r.path().equals("/b")).count() >= 2);
    Await.until("delivered state", () -> "delivered".equals(state("rall:firing")));
    assertEquals(1, lost.split("ALERT LOST", -1).length - 1, "one LOST line for the first failed round");
  }

  private String state(String id) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("alert_outbox.db"));
         ResultSet rs = c.createStatement().executeQuery("SELECT state FROM alert_outbox WHERE id = '" + id + "'")) {
      return rs.next() ? rs.getString(1) : null;
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
