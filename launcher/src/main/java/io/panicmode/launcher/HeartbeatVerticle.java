package io.panicmode.launcher;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes this process's {@link Heartbeat} every {@code fleet.heartbeat_interval}: its roles and
 * their status, and, on a host with a collector, the latest headline metrics and the SSH failures
 * since the previous heartbeat, so the central node can show them.
 */
final class HeartbeatVerticle extends VerticleBase {
  private static final List<String> SUMMARY = List.of(MetricNames.CPU_USAGE, MetricNames.MEMORY_USAGE,
      MetricNames.LOAD_AVERAGE, MetricNames.CONNECTIONS_TOTAL, MetricNames.PROCESS_COUNT);

  /** SSH failures seen since the previous heartbeat (for the fleet view's plots). */
  static final String AUTH_FAILURES = "auth_failures";

  private final NodeContext ctx;
  private final String nodeName;
  private final Map<String, Double> latest = new LinkedHashMap<>();
  private long authFailures;
  private long timer;

  HeartbeatVerticle(NodeContext ctx, String nodeName) {
    this.ctx = ctx;
    this.nodeName = nodeName;
  }

  @Override
  public Future<?> start() {
    MessageConsumer<JsonObject> metrics = vertx.eventBus().<JsonObject>localConsumer(Addresses.metrics(ctx.hostId()), msg -> {
      try {
        MetricsSnapshot s = MetricsSnapshot.fromJson(msg.body());
        for (String k : SUMMARY) {
          Double v = s.gauge(k);
          if (v != null) latest.put(k, v);
        }
      } catch (RuntimeException ignored) {
        // a malformed snapshot is the detector's to count; the heartbeat just keeps the last good figures
      }
    });
    MessageConsumer<JsonObject> auth = vertx.eventBus().<JsonObject>localConsumer(Addresses.authEvents(ctx.hostId()),
        msg -> authFailures++);
    timer = vertx.setPeriodic(0, ctx.config().fleet().heartbeatInterval().toMillis(), id -> publish());
    return Future.all(metrics.completion(), auth.completion());
  }

  void publish() {
    long now = ctx.clock().millis();
    if (ctx.status().snapshot().containsKey("collector")) {
      latest.put(AUTH_FAILURES, (double) authFailures);
      authFailures = 0;
    }
    Heartbeat hb = new Heartbeat(ctx.hostId(), nodeName, ctx.status().snapshot(), ctx.version(), now,
        (now - ctx.startedAtMillis()) / 1000, latest);
    vertx.eventBus().publish(Addresses.HEARTBEAT, hb.toJson());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
