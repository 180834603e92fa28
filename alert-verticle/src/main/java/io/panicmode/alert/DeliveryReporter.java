package io.panicmode.alert;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertDelivery;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each {@link AlertDelivery} to storage, fire-and-forget, through the node context's outbox
 * ({@link NodeContext#deliver}: bounded, survives a storage outage): the alert path never waits on
 * storage. A lost report costs a line of history, never an alert.
 */
final class DeliveryReporter {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryReporter.class);

  private final Vertx vertx;
  private final NodeContext ctx;
  private final LongAdder reported;
  private final LongAdder dropped;

  DeliveryReporter(Vertx vertx, NodeContext ctx) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.reported = ctx.metrics().counter("panicmode_alert_deliveries_reported_total",
        "Alert delivery outcomes handed to storage (or to the process outbox)");
    this.dropped = ctx.metrics().counter("panicmode_alert_deliveries_dropped_total",
        "Alert delivery outcomes not recorded (the outbox or storage refused them)");
  }

  /** Called on the verticle's event loop. */
  void report(AlertDelivery d) {
    StorageWrite w = StorageWrite.alertDelivery(d);
    ctx.deliver(vertx, Addresses.STORAGE, w.id(), w.toJson()).onComplete(ar -> {
      if (ar.succeeded()) {
        reported.increment();
      } else {
        dropped.increment();
        LOG.debug("alert delivery {} not recorded: {}", w.id(), ar.cause().getMessage());
      }
    });
  }
}
