package io.panicmode.alert;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertDelivery;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.outbox.CentralLink;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each {@link AlertDelivery} to storage, fire-and-forget: the alert path never waits on
 * storage. Through the process's persistent outbox ({@link CentralLink}, from the node context)
 * when there is one (bounded, survives a storage outage); otherwise one direct request each, at most
 * {@code maxPending} in flight, the rest dropped and counted. A lost report costs a line of
 * history, never an alert.
 */
final class DeliveryReporter {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryReporter.class);

  private final Vertx vertx;
  private final CentralLink central;
  private final int maxPending;
  private final long timeoutMs;
  private final LongAdder reported;
  private final LongAdder dropped;
  private int pending;

  /** {@code central}: the process's outbox, or null (tests, tools) to send directly. */
  DeliveryReporter(Vertx vertx, CentralLink central, MetricsRegistry metrics, int maxPending, long timeoutMs) {
    this.vertx = vertx;
    this.central = central;
    this.maxPending = maxPending;
    this.timeoutMs = timeoutMs;
    this.reported = metrics.counter("panicmode_alert_deliveries_reported_total",
        "Alert delivery outcomes handed to storage (or to the process outbox)");
    this.dropped = metrics.counter("panicmode_alert_deliveries_dropped_total",
        "Alert delivery outcomes not recorded (too many pending, or storage refused)");
    metrics.gauge("panicmode_alert_deliveries_pending", "Alert delivery outcomes in flight to storage", () -> pending);
  }

  /** Called on the verticle's event loop. */
  void report(AlertDelivery d) {
    StorageWrite w = StorageWrite.alertDelivery(d);
    if (central != null) {
      central.send(Addresses.STORAGE, w.id(), w.toJson()).onComplete(ar -> {
        if (ar.succeeded()) reported.increment(); else dropped.increment();
      });
      return;
    }
    if (pending >= maxPending) {
      dropped.increment();
      return;
    }
    pending++;
    vertx.eventBus().request(Addresses.STORAGE, w.toJson(), new DeliveryOptions().setSendTimeout(timeoutMs))
        .onComplete(ar -> {
          pending--;
          if (ar.succeeded()) {
            reported.increment();
          } else {
            dropped.increment();
            LOG.debug("alert delivery {} not recorded: {}", w.id(), ar.cause().getMessage());
          }
        });
  }
}
