package io.panicmode.detector;

import io.panicmode.config.ActionKind;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Outputs} on the event bus. Protective commands go straight to this host's action
 * verticle (signed with the host's command key when there is one), before anything else; the
 * incident is published for live views; alerts and storage writes go through the process's
 * persistent outbox ({@link NodeContext#deliver}), so a slow or absent alert/storage node never
 * delays an action and an outage or a restart loses nothing.
 */
final class EventBusOutputs implements Outputs {
  private static final Logger LOG = LoggerFactory.getLogger(EventBusOutputs.class);

  private final Vertx vertx;
  private final NodeContext ctx;
  private final LongAdder notTaken;
  private final LongAdder commandsSent;
  private final LongAdder commandsFailed;

  EventBusOutputs(Vertx vertx, NodeContext ctx) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.notTaken = ctx.metrics().counter("panicmode_detector_delivery_dropped_total",
        "Alert and storage requests the detector could not hand over", "reason", "not_taken");
    this.commandsSent = ctx.metrics().counter("panicmode_detector_commands_total", "Action commands sent", "result", "sent");
    this.commandsFailed = ctx.metrics().counter("panicmode_detector_commands_total", "Action commands sent", "result", "failed");
  }

  @Override
  public void fired(Incident incident, List<ActionCommand> commands) {
    String address = Addresses.action(ctx.hostId());
    for (ActionCommand c : commands) {
      ActionCommand signed = ctx.commandKey() != null ? ctx.commandKey().sign(c) : c;
      commandsSent.increment();
      vertx.eventBus().<JsonObject>request(address, signed.toJson(), new DeliveryOptions().setSendTimeout(replyWaitMs(c, ctx.config()))).onComplete(ar -> {
        if (ar.failed()) {
          commandsFailed.increment();
          LOG.warn("action {} for incident {} ({}) got no reply: {}", c.op(), incident.id(), incident.rule(),
              ar.cause().getMessage());
          return;
        }
        try {
          ActionResult r = ActionResult.fromJson(ar.result().body());
          if (ctx.resultVerifier() != null) r = ctx.resultVerifier().vet(signed, r, ctx.metrics(), "detector");
          if (r.status() == ActionResult.Status.FAILED) {
            commandsFailed.increment();
            LOG.warn("action {} for incident {} failed: {}", c.op(), incident.id(), r.reason());
          }
        } catch (RuntimeException e) {
          commandsFailed.increment();
          LOG.warn("action {} for incident {}: malformed reply: {}", c.op(), incident.id(), e.getMessage());
        }
      });
    }
    vertx.eventBus().publish(Addresses.INCIDENTS, incident.toJson());
    StorageWrite w = StorageWrite.incident(incident);
    deliver(Addresses.STORAGE, w.id(), w.toJson());
  }

  /**
   * The action role replies when the action is done, which may take the action's own timeout (a
   * hook's, a snapshot's) after it waited for a free slot: allow twice that plus a margin, so a slow
   * success is not counted as a failure.
   */
  static long replyWaitMs(ActionCommand c, PanicConfig cfg) {
    long actionMs = ActionKind.parseCommand(c.op(), c.target()).map(n -> n.kind().timeout(n.arg(), cfg))
        .orElse(cfg.circuitBreakers().timeout()).toMillis();
    return actionMs * 2 + 5_000;
  }

  @Override
  public void alert(Incident incident) {
    AlertRequest a = AlertRequest.of(incident, ctx.clock().millis());
    deliver(Addresses.ALERTS, a.id(), a.toJson());
  }

  @Override
  public void resolved(Incident incident, boolean alert) {
    vertx.eventBus().publish(Addresses.INCIDENTS, incident.toJson());
    if (alert) alert(incident);
    StorageWrite w = StorageWrite.incident(incident);
    deliver(Addresses.STORAGE, w.id(), w.toJson());
  }

  private void deliver(String address, String id, JsonObject body) {
    ctx.deliver(vertx, address, id, body).onFailure(err -> notTaken.increment());
  }
}
