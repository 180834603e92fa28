package io.panicmode.launcher.fleet;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * On the node that stores for the fleet: an agent not heard from for {@code fleet.stale_after}
 * raises a critical {@code agent_stale} incident (alerted, stored, published), resolved when the
 * agent is heard from again.
 */
public final class StaleAgentVerticle extends VerticleBase {
  static final String RULE = "agent_stale";

  private final NodeContext ctx;
  private final StaleAgents agents;
  private final Map<String, Incident> open = new HashMap<>();
  private long timer;

  public StaleAgentVerticle(NodeContext ctx) {
    this.ctx = ctx;
    this.agents = new StaleAgents(ctx.config().fleet().staleAfter().toMillis(), 10_000);
  }

  @Override
  public Future<?> start() {
    MessageConsumer<JsonObject> c = vertx.eventBus().consumer(Addresses.HEARTBEAT, msg -> {
      try {
        agents.heard(Heartbeat.fromJson(msg.body()).host(), ctx.clock().millis());
      } catch (MessageFormatException | ClassCastException e) {
        ctx.metrics().counter("panicmode_fleet_malformed_heartbeats_total", "Heartbeats that could not be read").increment();
      }
    });
    long every = Math.max(1000, ctx.config().fleet().staleAfter().toMillis() / 4);
    timer = vertx.setPeriodic(every, t -> check());
    ctx.metrics().gauge("panicmode_fleet_stale_agents", "Agents currently not heard from", open::size);
    return c.completion();
  }

  void check() {
    long now = ctx.clock().millis();
    for (StaleAgents.Change change : agents.check(now)) {
      Incident incident;
      if (change.stale()) {
        String id = UUID.nameUUIDFromBytes((RULE + ":" + change.host() + ":" + change.lastSeen())
            .getBytes(StandardCharsets.UTF_8)).toString();
        double silentSecs = (now - change.lastSeen()) / 1000.0;
        double limitSecs = ctx.config().fleet().staleAfter().toMillis() / 1000.0;
        incident = new Incident(id, change.host(), RULE, "fleet", Severity.CRITICAL, Incident.State.FIRING,
            RULE + " exceeded threshold: " + silentSecs + " > " + limitSecs,
            "no heartbeat from " + change.host() + " for " + Math.round(silentSecs) + " s", silentSecs, limitSecs,
            Subjects.NONE, List.of("alert_critical"), now, null);
        open.put(change.host(), incident);
      } else {
        Incident fired = open.remove(change.host());
        if (fired == null) continue;
        incident = fired.resolved(now);
      }
      vertx.eventBus().publish(Addresses.INCIDENTS, incident.toJson());
      AlertRequest alert = AlertRequest.of(incident, now);
      StorageWrite write = StorageWrite.incident(incident);
      ctx.deliver(vertx, Addresses.ALERTS, alert.id(), alert.toJson());
      ctx.deliver(vertx, Addresses.STORAGE, write.id(), write.toJson());
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
