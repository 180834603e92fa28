package io.panicmode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.panicmode.config.ConfigLoader;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Severity;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** With no auth log to read, the collector says so: /health degraded with the reason, a start warning, a self-alert. */
class BlindSshMonitorTest {
  @TempDir Path dir;

  @Test
  void noReadableAuthLogDegradesHealthWarnsAndAlerts() throws Exception {
    Path missing = dir.resolve("auth.log");
    NodeContext ctx = NodeContext.local(ConfigLoader.parse("""
        node: {id: web1}
        performance: {check_interval: 60s}
        collector: {proc_root: /proc, auth_source: file, auth_logs: ["%s"]}
        """.formatted(missing), "test", Map.of()));
    Logger logger = (Logger) LoggerFactory.getLogger(CollectorVerticle.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<AlertRequest> alerted = new CompletableFuture<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, m -> {
        alerted.complete(AlertRequest.fromJson(m.body()));
        m.reply(new JsonObject().put("ok", true));
      });
      vertx.deployVerticle(new CollectorVerticle(ctx)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      AlertRequest alert = alerted.get(30, TimeUnit.SECONDS);
      assertEquals(Severity.CRITICAL, alert.incident().severity());
      assertTrue(alert.incident().description().contains("SSH monitor is blind")
          && alert.incident().description().contains(missing.toString()), alert.incident().description());
      assertEquals("degraded", ctx.status().snapshot().get("collector"));
      assertTrue(ctx.status().reasons().get("collector").contains("no readable auth log (" + missing + ")"),
          ctx.status().reasons().toString());
      assertTrue(logs.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
          && e.getFormattedMessage().startsWith("SSH monitor is blind")), logs.list.toString());
    } finally {
      logger.detachAppender(logs);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
