package io.panicmode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The deployed verticle: snapshots on the host's metrics address, auth events on its auth address. */
@ExtendWith(VertxExtension.class)
class CollectorVerticleTest {
  @TempDir Path dir;

  PanicConfig config(Path log, Path watched) throws Exception {
    String yaml = """
        node:
          id: web1
        performance:
          check_interval: 300ms
        collector:
          proc_root: /proc
          auth_source: file
          auth_logs: ["%s"]
        monitors:
          - name: etc_changes
            type: file_monitor
            threshold: 1
            paths: ["%s"]
            actions: [alert_warning]
          - name: root_disk
            type: disk_usage
            threshold: 90
            paths: ["/"]
            actions: [alert_warning]
          - name: queue
            type: custom
            threshold: 10
            actions: [alert_warning]
        custom_metrics:
          queue:
            command: "echo 3"
            timeout: 2s
        """.formatted(log, watched);
    return ConfigLoader.parse(yaml, "test", Map.of());
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void publishesSnapshotsAndAuthEvents(Vertx vertx, VertxTestContext tc) throws Exception {
    Path log = Files.writeString(dir.resolve("auth.log"), "old line\n");
    Path watched = Files.createDirectory(dir.resolve("etc"));
    NodeContext ctx = NodeContext.local(config(log, watched));
    var snapshot = tc.checkpoint();
    var auth = tc.checkpoint();
    boolean[] seenSnapshot = {false};
    vertx.eventBus().<JsonObject>consumer(Addresses.metrics("web1"), msg -> {
      MetricsSnapshot s = MetricsSnapshot.fromJson(msg.body());
      if (seenSnapshot[0]) return;
      seenSnapshot[0] = true;
      tc.verify(() -> {
        assertEquals("web1", s.host());
        for (String g : new String[] {MetricNames.CPU_USAGE, MetricNames.MEMORY_USAGE, MetricNames.SWAP_USAGE,
            MetricNames.LOAD_AVERAGE, MetricNames.PROCESS_COUNT, MetricNames.CONNECTIONS_TOTAL, MetricNames.CONNECTION_RATE}) {
          assertTrue(s.gauges().containsKey(g) || s.unavailable().containsKey(g), g);
        }
        assertTrue(s.gauge(MetricNames.PROCESS_COUNT) > 1);
        assertEquals(3.0, s.series(MetricNames.CUSTOM).get("queue"));
        assertTrue(s.series(MetricNames.DISK_USAGE).containsKey("/"), s.toJson().encode());
        assertTrue(s.series(MetricNames.FILE_EVENTS).containsKey(watched.toString()));
        assertTrue(s.series(MetricNames.SELF).get("threads") > 1);
        assertEquals("ok", ctx.status().snapshot().get("collector"));
      });
      snapshot.flag();
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.authEvents("web1"), msg -> {
      AuthEvent e = AuthEvent.fromJson(msg.body());
      tc.verify(() -> {
        assertEquals("203.0.113.9", e.ip());
        assertEquals("x from 198.51.100.1 port 22", e.user());
        assertEquals("invalid_user", e.kind());
        assertEquals(4242, e.port());
      });
      auth.flag();
    });
    vertx.deployVerticle(new CollectorVerticle(ctx)).onComplete(tc.succeeding(id -> {
      try {
        Files.writeString(log, "Nov 27 16:29:43 web1 sshd[5]: Invalid user x from 198.51.100.1 port 22 from 203.0.113.9 port 4242\n",
            StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      } catch (Exception e) {
        tc.failNow(e);
      }
    }));
  }
}
