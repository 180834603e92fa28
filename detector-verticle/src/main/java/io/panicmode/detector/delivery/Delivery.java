package io.panicmode.detector.delivery;

import io.vertx.core.json.JsonObject;

/**
 * Requests (alerts, storage writes) that must reach a possibly slow or absent node without ever
 * holding up the detector or its actions. The in-memory {@link RetryQueue} is bounded and counts
 * what it drops; a persistent outbox can replace it behind this interface.
 */
public interface Delivery {
  /**
   * Queues {@code body} for request/reply to {@code address}; {@code id} names it in logs and
   * lets the receiver deduplicate retries. Never blocks. False when it was dropped (counted).
   */
  boolean offer(String address, String id, JsonObject body);

  /** Requests queued or in flight. */
  int depth();

  /** Stops sending; an in-memory implementation drops what is left (counted). */
  void close();
}
