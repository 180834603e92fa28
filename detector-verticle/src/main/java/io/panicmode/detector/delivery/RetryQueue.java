package io.panicmode.detector.delivery;

import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded in-memory {@link Delivery}: every request is retried with exponential backoff
 * (0.5 s doubling to 30 s) until acknowledged or older than {@code maxAgeMs}; at most
 * {@code maxInFlight} requests are outstanding, each with a timeout. When {@code capacity} is
 * reached a request that already failed is dropped (else the oldest new one). Every drop is counted in
 * {@code panicmode_detector_delivery_dropped_total{reason}}. Runs on the caller's event loop.
 */
public final class RetryQueue implements Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(RetryQueue.class);
  private static final long FIRST_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 30_000;

  private static final class Entry {
    final String address;
    final String id;
    final JsonObject body;
    final long createdAt;
    final long seq;
    int attempts;
    long nextAt;

    Entry(String address, String id, JsonObject body, long now, long seq) {
      this.address = address;
      this.id = id;
      this.body = body;
      this.createdAt = now;
      this.seq = seq;
    }
  }

  private final Vertx vertx;
  private final Clock clock;
  private final int capacity;
  private final int maxInFlight;
  private final long timeoutMs;
  private final long maxAgeMs;
  private final ArrayDeque<Entry> fresh = new ArrayDeque<>();
  /** Due first; among equally due, oldest first (so the oldest failed request is the one dropped when full). */
  private final PriorityQueue<Entry> retry =
      new PriorityQueue<>(Comparator.comparingLong((Entry e) -> e.nextAt).thenComparingLong(e -> e.seq));
  private long seq;
  private final LongAdder droppedFull;
  private final LongAdder droppedExpired;
  private final LongAdder droppedClosed;
  private final LongAdder retries;
  private final LongAdder delivered;
  private final long timer;
  private int inFlight;
  private boolean closed;
  private boolean pumping;

  public RetryQueue(Vertx vertx, Clock clock, MetricsRegistry metrics, int capacity, int maxInFlight, long timeoutMs,
                    long maxAgeMs) {
    this.vertx = vertx;
    this.clock = clock;
    this.capacity = capacity;
    this.maxInFlight = maxInFlight;
    this.timeoutMs = timeoutMs;
    this.maxAgeMs = maxAgeMs;
    String drop = "panicmode_detector_delivery_dropped_total";
    String help = "Alert and storage requests the detector gave up on";
    droppedFull = metrics.counter(drop, help, "reason", "full");
    droppedExpired = metrics.counter(drop, help, "reason", "expired");
    droppedClosed = metrics.counter(drop, help, "reason", "closed");
    retries = metrics.counter("panicmode_detector_delivery_retries_total", "Alert and storage requests sent again after a failure");
    delivered = metrics.counter("panicmode_detector_delivery_acked_total", "Alert and storage requests acknowledged");
    metrics.gauge("panicmode_detector_delivery_queue_depth", "Alert and storage requests queued or in flight", this::depth);
    this.timer = vertx.setPeriodic(200, t -> pump());
  }

  @Override
  public boolean offer(String address, String id, JsonObject body) {
    if (closed) {
      droppedClosed.increment();
      return false;
    }
    boolean kept = true;
    if (fresh.size() + retry.size() >= capacity) {
      // Something must go to keep the queue bounded: a request that already failed (the one due
      // next), else the oldest new one; the newest incident matters most.
      Entry victim = !retry.isEmpty() ? retry.poll() : fresh.pollFirst();
      if (victim != null) {
        LOG.warn("delivery queue full ({}), dropping {} to {}", capacity, victim.id, victim.address);
      } else {
        kept = false;
      }
      droppedFull.increment();
    }
    if (kept) fresh.addLast(new Entry(address, id, body, clock.millis(), seq++));
    pump();
    return kept;
  }

  @Override
  public int depth() { return fresh.size() + retry.size() + inFlight; }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(timer);
    droppedClosed.add(fresh.size() + retry.size());
    fresh.clear();
    retry.clear();
  }

  /** Sends what is due. Re-entrant calls (a request failing at once, e.g. no handler) return: the running loop goes on. */
  private void pump() {
    if (pumping) return;
    pumping = true;
    try {
      long now = clock.millis();
      while (inFlight < maxInFlight && !closed) {
        Entry e;
        if (!retry.isEmpty() && retry.peek().nextAt <= now) e = retry.poll();
        else if (!fresh.isEmpty()) e = fresh.pollFirst();
        else break;
        send(e, now);
      }
    } finally {
      pumping = false;
    }
  }

  private void send(Entry e, long now) {
    if (now - e.createdAt > maxAgeMs) {
      droppedExpired.increment();
      LOG.warn("giving up on {} to {} after {} attempts", e.id, e.address, e.attempts);
      return;
    }
    if (e.attempts > 0) retries.increment();
    e.attempts++;
    inFlight++;
    vertx.eventBus().request(e.address, e.body, new DeliveryOptions().setSendTimeout(timeoutMs)).onComplete(ar -> {
      inFlight--;
      if (ar.succeeded()) {
        delivered.increment();
      } else if (!closed) {
        long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(16, e.attempts - 1));
        e.nextAt = clock.millis() + backoff;
        retry.add(e);
        LOG.debug("{} to {} failed (attempt {}): {}", e.id, e.address, e.attempts, ar.cause().toString());
      }
      pump();
    });
  }
}
