package io.panicmode.action;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.outbox.CentralLink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends ban and unban records to the storage verticle, fire-and-forget: protection never waits
 * on storage, which may be absent or remote. When the launcher registered the process's
 * persistent outbox ({@link CentralLink}) the records go through it; otherwise each write is tried a bounded number of times with
 * growing delays (the write id is stable, so a retry is one row); at most {@code maxPending}
 * writes are in flight and the rest are dropped and counted. The local ledger remains the source
 * of truth for this host: it remembers which bans storage has not acknowledged and sends them
 * again at the next start.
 */
public final class StorageReporter {
  private static final Logger LOG = LoggerFactory.getLogger(StorageReporter.class);

  private final Vertx vertx;
  private final int maxPending;
  private final int attempts;
  private final long timeoutMs;
  private final AtomicInteger pending = new AtomicInteger();
  private final LongAdder dropped;
  private final LongAdder retries;
  private final LongAdder sent;

  public StorageReporter(Vertx vertx, MetricsRegistry metrics, int maxPending, int attempts, long timeoutMs) {
    this.vertx = vertx;
    this.maxPending = maxPending;
    this.attempts = attempts;
    this.timeoutMs = timeoutMs;
    this.dropped = metrics.counter("panicmode_action_storage_dropped_total", "Ban/unban records not delivered to storage");
    this.retries = metrics.counter("panicmode_action_storage_retries_total", "Retried ban/unban record deliveries");
    this.sent = metrics.counter("panicmode_action_storage_sent_total", "Ban/unban records acknowledged by storage");
    metrics.gauge("panicmode_action_storage_pending", "Ban/unban records in flight to storage", pending::get);
  }

  /**
   * Sends the write; the future succeeds once storage acknowledged it or the persistent outbox
   * holds it (either way it will not be lost), and fails when it was dropped.
   */
  public Future<Void> send(StorageWrite w) {
    var link = CentralLink.of(vertx);
    if (link.isPresent()) {
      // The process's persistent outbox: the record survives a central outage and a restart.
      return link.get().send(Addresses.STORAGE, w.id(), w.toJson()).onFailure(e -> dropped.increment());
    }
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      dropped.increment();
      return Future.failedFuture("storage write " + w.id() + " dropped: " + maxPending + " writes already pending");
    }
    Promise<Void> done = Promise.promise();
    attempt(w, 1, done);
    return done.future();
  }

  private void attempt(StorageWrite w, int n, Promise<Void> done) {
    vertx.eventBus().request(Addresses.STORAGE, w.toJson(), new DeliveryOptions().setSendTimeout(timeoutMs))
        .onSuccess(r -> {
          pending.decrementAndGet();
          sent.increment();
          done.complete();
        })
        .onFailure(e -> {
          if (n >= attempts) {
            pending.decrementAndGet();
            dropped.increment();
            LOG.debug("storage write {} dropped after {} attempts: {}", w.id(), n, e.getMessage());
            done.fail(e);
            return;
          }
          retries.increment();
          vertx.setTimer(200L << Math.min(n, 6), t -> attempt(w, n + 1, done));
        });
  }
}
