package io.panicmode.runtime.selfcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.panicmode.config.ConfigLoader;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A limit this JVM certainly exceeds (2 threads): one incident and one alert request, then the cooldown holds. */
@ExtendWith(VertxExtension.class)
class SelfCheckVerticleTest {
  @Test
  @Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
  void exceededLimitPublishesAnIncidentAndAsksForAnAlert(Vertx vertx, VertxTestContext tc) throws Exception {
    NodeContext ctx = NodeContext.local(ConfigLoader.parse("""
        node:
          id: web1
        performance:
          check_interval: 100ms
          cpu_limit: 10000
          memory_limit_mb: 100000
          self_thread_threshold: 2
          self_alert_cooldown: 1h
        """, "test", Map.of()));
    AtomicInteger incidents = new AtomicInteger();
    var alerted = tc.checkpoint();
    vertx.eventBus().<JsonObject>consumer(Addresses.INCIDENTS, m -> {
      Incident i = Incident.fromJson(m.body());
      tc.verify(() -> {
        assertEquals("panicmode_self_check", i.rule());
        assertEquals("self", i.monitorType());
        assertEquals("critical", i.severity().wire());
        assertEquals(2.0, i.threshold());
      });
      incidents.incrementAndGet();
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, m -> {
      AlertRequest a = AlertRequest.fromJson(m.body());
      m.reply(new JsonObject().put("ok", true));
      tc.verify(() -> assertEquals(a.incident().id() + ":firing", a.id()));
      vertx.setTimer(600, t -> {
        tc.verify(() -> assertEquals(1, incidents.get(), "cooldown: one incident in 600 ms of 100 ms checks"));
        alerted.flag();
      });
    });
    vertx.deployVerticle(new SelfCheckVerticle(ctx, new SelfSampler(Path.of("/proc")), Duration.ZERO))
        .onComplete(tc.succeeding(id -> { }));
  }
}
