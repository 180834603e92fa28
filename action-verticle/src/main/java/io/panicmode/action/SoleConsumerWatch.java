package io.panicmode.action;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, every {@code intervalMs}, that this node is the one and only consumer of its action
 * address in the cluster. Reads the cluster manager's registrations (the Hazelcast subscription
 * map every sender routes by) rather than probing with messages: a probe answered round-robin
 * sees a second consumer only by chance and cannot tell our own entry was deleted, while the
 * registration list names every consumer's node and shows ours missing at once. A change to a bad
 * state raises a critical incident and degrades /health; back to normal resolves both. A missing
 * own registration is also registered again, so commands reach this node without a restart.
 * Event loop only.
 */
final class SoleConsumerWatch {
  static final String RULE = "action_address_consumers";
  private static final Logger LOG = LoggerFactory.getLogger(SoleConsumerWatch.class);

  private final Vertx vertx;
  private final Context home;
  private final NodeContext ctx;
  private final ClusterManager cluster;
  private final String address;
  private final LongAdder alarms;
  /** Registers the command consumer afresh: the cure for an entry deleted from the cluster behind our back. */
  private final Supplier<Future<Void>> reRegister;
  private boolean reRegistering;
  /** Receives the current problem for /health, or null when there is none. */
  private final Consumer<String> health;
  private String problem;
  private Incident open;

  SoleConsumerWatch(Vertx vertx, Context home, NodeContext ctx, ClusterManager cluster, Supplier<Future<Void>> reRegister,
                    Consumer<String> health) {
    this.reRegister = reRegister;
    this.health = health;
    this.vertx = vertx;
    this.home = home;
    this.ctx = ctx;
    this.cluster = cluster;
    this.address = Addresses.action(ctx.hostId());
    this.alarms = ctx.metrics().counter("panicmode_action_consumer_alarms_total",
        "Times the action address had a foreign consumer or lost this node's");
  }

  /**
   * What is wrong with the registrations of the action address, or null when this node holds the
   * only one. Local-only registrations are invisible to other nodes and do not count.
   */
  static String verdict(String ownNode, List<RegistrationInfo> registrations, String address) {
    long ours = ours(ownNode, registrations);
    List<String> foreign = registrations.stream().filter(r -> !r.localOnly() && !ownNode.equals(r.nodeId()))
        .map(RegistrationInfo::nodeId).distinct().sorted().toList();
    if (!foreign.isEmpty()) {
      return "foreign consumer on " + address + " (cluster node " + String.join(", ", foreign)
          + "): commands may reach it and its results are not ours";
    }
    if (ours == 0) return "this node's consumer of " + address + " is missing from the cluster: commands cannot reach it";
    if (ours > 1) return ours + " consumers of " + address + " on this node; expected one";
    return null;
  }

  private static long ours(String ownNode, List<RegistrationInfo> registrations) {
    return registrations.stream().filter(r -> !r.localOnly() && ownNode.equals(r.nodeId())).count();
  }

  void check() {
    Future.<List<RegistrationInfo>>future(p -> cluster.getRegistrations(address, p))
        .onComplete(ar -> home.runOnContext(v -> {
          if (ar.failed()) {
            LOG.warn("reading the registrations of {} failed: {}", address, ar.cause().getMessage());
            return;
          }
          update(verdict(cluster.getNodeId(), ar.result(), address));
          if (ours(cluster.getNodeId(), ar.result()) == 0 && !reRegistering) {
            reRegistering = true;
            reRegister.get().onComplete(r -> {
              reRegistering = false;
              if (r.failed()) LOG.error("registering {} again failed: {}", address, r.cause().getMessage());
              else LOG.warn("registered {} again", address);
            });
          }
        }));
  }

  private void update(String now) {
    if (java.util.Objects.equals(now, problem)) return;
    long at = ctx.clock().millis();
    if (open != null) {
      report(open.resolved(at), false);
      open = null;
    }
    problem = now;
    health.accept(now);
    if (now == null) {
      LOG.info("{}: this node is again its only consumer", address);
      return;
    }
    alarms.increment();
    LOG.error("{}", now);
    open = new Incident("consumers-" + ctx.hostId() + "-" + at, ctx.hostId(), RULE, "self", Severity.CRITICAL,
        Incident.State.FIRING, now, "address=" + address, 1, 1, Subjects.NONE, List.of("alert_critical"), at, null);
    report(open, true);
  }

  private void report(Incident incident, boolean alert) {
    vertx.eventBus().publish(Addresses.INCIDENTS, incident.toJson());
    StorageWrite w = StorageWrite.incident(incident);
    ctx.deliver(vertx, Addresses.STORAGE, w.id(), w.toJson())
        .onFailure(e -> LOG.warn("incident {} not stored: {}", incident.id(), e.getMessage()));
    if (alert) {
      AlertRequest a = AlertRequest.of(incident, ctx.clock().millis());
      ctx.deliver(vertx, Addresses.ALERTS, a.id(), a.toJson())
          .onFailure(e -> LOG.warn("alert for {} not acknowledged: {}", incident.id(), e.getMessage()));
    }
  }
}
