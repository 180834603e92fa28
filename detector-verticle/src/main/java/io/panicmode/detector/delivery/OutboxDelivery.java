package io.panicmode.detector.delivery;

import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.outbox.CentralLink;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link Delivery} through the process's persistent outbox ({@link CentralLink}): what the
 * detector owes the alert and storage nodes survives a central outage and a restart of this
 * process, and is delivered in order. Used whenever the launcher registered a link.
 */
public final class OutboxDelivery implements Delivery {
  private final CentralLink link;
  private final LongAdder failed;

  public OutboxDelivery(CentralLink link, MetricsRegistry metrics) {
    this.link = link;
    this.failed = metrics.counter("panicmode_detector_delivery_dropped_total",
        "Alert and storage requests the detector could not hand over", "reason", "outbox_write_failed");
  }

  @Override
  public boolean offer(String address, String id, JsonObject body) {
    link.send(address, id, body).onFailure(err -> failed.increment());
    return true;
  }

  @Override
  public int depth() {
    return (int) Math.min(Integer.MAX_VALUE, link.depth());
  }

  /** The outbox belongs to the process, not to this verticle: it keeps what is left for the next start. */
  @Override
  public void close() {}
}
