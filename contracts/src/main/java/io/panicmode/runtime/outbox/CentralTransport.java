package io.panicmode.runtime.outbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * How {@link CentralLink} reaches the alert and storage nodes: the (clustered) event bus of this
 * process, or the TCP bridge of an agent that is not a cluster member. A receiver's refusal must
 * fail the future with a {@link io.vertx.core.eventbus.ReplyException} of type RECIPIENT_FAILURE
 * carrying its code, as the event bus does, so the link can tell a bad message from an outage.
 */
@FunctionalInterface
public interface CentralTransport {
  /** Sends {@code body} to {@code address}; completes with the receiver's acknowledgement or fails within {@code timeoutMs}. */
  Future<?> request(String address, JsonObject body, long timeoutMs);

  static CentralTransport eventBus(Vertx vertx) {
    return (address, body, timeoutMs) -> vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs));
  }
}
