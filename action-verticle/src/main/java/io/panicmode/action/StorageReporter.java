package io.panicmode.action;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends ban, unban and action-result records to the storage node, fire-and-forget: protection
 * never waits on storage, which may be absent or remote. They go through the process's persistent
 * outbox ({@link NodeContext#deliver}), which retries until storage acknowledges; the local ledger
 * also remembers which bans storage has not acknowledged and sends them again at the next start.
 */
public final class StorageReporter {
  private final Vertx vertx;
  private final NodeContext ctx;
  private final LongAdder dropped;

  public StorageReporter(Vertx vertx, NodeContext ctx) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.dropped = ctx.metrics().counter("panicmode_action_storage_dropped_total",
        "Ban/unban records the outbox could not take (or, without one, storage did not acknowledge)");
  }

  /** Completes once the outbox holds the write (or, without one, storage acknowledged it); fails when it was not taken. */
  public Future<Void> send(StorageWrite w) {
    return ctx.deliver(vertx, Addresses.STORAGE, w.id(), w.toJson()).<Void>mapEmpty().onFailure(e -> dropped.increment());
  }
}
