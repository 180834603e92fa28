package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertDelivery;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each alert's round on each channel is reported to storage as an {@link AlertDelivery}, against
 * real HTTP receivers on 127.0.0.1 and a stand-in storage consumer on the bus.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DeliveryReportTest {
  @TempDir Path dir;

  private static final String FAILOVER = """
      alerts:
        critical:
          - channel: webhook
            webhook_url: "%1$s/first"
            retries: %3$d
          - channel: discord
            webhook_url: "%2$s/second"
            retries: 0
      """;

  /** Stand-in storage: acknowledges every write and keeps the alert deliveries. */
  private static LinkedBlockingQueue<AlertDelivery> storage(Vertx vertx) throws Exception {
    LinkedBlockingQueue<AlertDelivery> got = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.STORAGE, m -> {
      StorageWrite w = StorageWrite.fromJson(m.body());
      if (w.kind() == StorageWrite.Kind.ALERT_DELIVERY) got.add(AlertDelivery.fromJson(w.payload()));
      m.reply(new JsonObject().put("ok", true).put("id", w.id()).put("duplicate", false));
    }).completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return got;
  }

  private static AlertDelivery next(LinkedBlockingQueue<AlertDelivery> q) throws InterruptedException {
    AlertDelivery d = q.poll(10, TimeUnit.SECONDS);
    if (d == null) throw new AssertionError("no alert delivery reported");
    return d;
  }

  @Test
  void aChannelFailingThenSucceedingIsReportedDeliveredAfterTwoAttempts(Vertx vertx) throws Exception {
    try (FakeHttp a = FakeHttp.start(vertx); FakeHttp b = FakeHttp.start(vertx)) {
      a.then(FakeHttp.Reply.status(503));
      var reported = storage(vertx);
      PanicConfig c = Harness.config(dir, FAILOVER.formatted(a.base(), b.base(), 2));
      String dep = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(new Harness.Captured().stream)));
      long before = System.currentTimeMillis();
      Harness.send(vertx, Harness.request("c1", Severity.CRITICAL));
      AlertDelivery d = next(reported);
      assertEquals("c1:firing", d.alertId(), "the AlertRequest id");
      assertEquals("c1", d.incidentId(), "the request's incident");
      assertEquals("testhost", d.host());
      assertEquals("webhook", d.channel());
      assertEquals(2, d.attempts(), "503, then accepted");
      assertEquals(AlertDelivery.Outcome.DELIVERED, d.outcome());
      assertEquals("", d.error());
      assertTrue(d.at() >= before, "time of the end of the round");
      b.expectNothing(300);
      assertEquals(0, reported.size(), "failover: the second channel was not needed, so nothing to report: " + reported);
      Harness.undeploy(vertx, dep);
    }
  }

  @Test
  void anAlertWithNoChannelForItsSeverityIsReportedSkippedWithTheReason(Vertx vertx) throws Exception {
    var reported = storage(vertx);
    PanicConfig c = Harness.config(dir, "");
    String dep = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(new Harness.Captured().stream)));
    Harness.send(vertx, Harness.request("w1", Severity.WARNING));
    AlertDelivery d = next(reported);
    assertEquals("none", d.channel());
    assertEquals(0, d.attempts());
    assertEquals(AlertDelivery.Outcome.SKIPPED, d.outcome());
    assertEquals("no channel configured under alerts.warning", d.error());
    Harness.undeploy(vertx, dep);
  }

  @Test
  void aChannelThatGivesUpIsReportedFailedWithItsErrorAndTheNextOneDelivered(Vertx vertx) throws Exception {
    try (FakeHttp a = FakeHttp.start(vertx); FakeHttp b = FakeHttp.start(vertx)) {
      a.otherwise(r -> FakeHttp.Reply.status(500));
      var reported = storage(vertx);
      PanicConfig c = Harness.config(dir, FAILOVER.formatted(a.base(), b.base(), 1));
      String dep = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(new Harness.Captured().stream)));
      Harness.send(vertx, Harness.request("c2", Severity.CRITICAL));
      AlertDelivery first = next(reported);
      assertEquals("webhook", first.channel());
      assertEquals(2, first.attempts(), "retries: 1");
      assertEquals(AlertDelivery.Outcome.FAILED, first.outcome());
      assertTrue(first.error().contains("500"), first.error());
      AlertDelivery second = next(reported);
      assertEquals("discord", second.channel());
      assertEquals(1, second.attempts());
      assertEquals(AlertDelivery.Outcome.DELIVERED, second.outcome());
      Harness.undeploy(vertx, dep);
    }
  }
}
