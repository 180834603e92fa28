package io.panicmode.action;

import io.panicmode.config.CircuitBreakerConfig;
import io.panicmode.contracts.ActionResult;
import io.panicmode.runtime.Breaker;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Wraps one action from outside: a concurrency limit ({@code circuit_breakers.max_concurrency}
 * calls in flight) with a bounded FIFO of calls waiting for a slot ({@code max_queued}), and a
 * {@link Breaker} that opens after {@code max_failures} failures within {@code failure_window},
 * stays open {@code open_duration} on the node's clock, and fails a call that runs longer than
 * the timeout (counted from the call's start, not from its arrival). A burst waits its turn
 * instead of being refused: only a full queue refuses a call. A call refused by the open breaker
 * or a full queue is reported SKIPPED and is not a failure; a FAILED outcome (unless caused by bad
 * input) and a timeout are. Event loop only.
 */
public final class ActionGuard {
  private final String name;
  private final Breaker<Outcome> breaker;
  private final int maxConcurrency;
  private final int maxQueued;
  private final Duration timeout;
  private final LongAdder openRejected;
  private final LongAdder queueFull;
  private final LongAdder timeouts;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;
  private boolean draining;

  public ActionGuard(Vertx vertx, String name, CircuitBreakerConfig cfg, Duration timeout, Clock clock, MetricsRegistry metrics) {
    this.name = name;
    this.maxConcurrency = Math.max(1, cfg.maxConcurrency());
    this.maxQueued = Math.max(1, cfg.maxQueued());
    this.timeout = timeout;
    // A FAILED outcome counts against the action unless its input was bad (that is the caller's fault).
    this.breaker = new Breaker<>(vertx, "panicmode-action-" + name, cfg.maxFailures(), cfg.failureWindow(),
        cfg.openDuration(), timeout, clock,
        f -> f.failed() || f.result().status() == ActionResult.Status.FAILED && !f.result().badInput());
    openRejected = metrics.counter("panicmode_action_breaker_rejected_total", "Calls refused by an open circuit breaker", "action", name);
    queueFull = metrics.counter("panicmode_action_queue_full_total",
        "Calls refused because max_concurrency calls ran and max_queued more waited", "action", name);
    metrics.gauge("panicmode_action_queued", "Calls waiting for a free concurrency slot", waiting::size, "action", name);
    timeouts = metrics.counter("panicmode_action_timeouts_total", "Action calls that timed out", "action", name);
    metrics.gauge("panicmode_action_breaker_open", "1 while the action's circuit breaker is open",
        () -> breaker.state() == CircuitBreakerState.OPEN ? 1 : 0, "action", name);
  }

  public Future<Outcome> call(Supplier<Future<Outcome>> action) {
    if (inFlight < maxConcurrency) return start(action);
    if (waiting.size() >= maxQueued) {
      queueFull.increment();
      return Future.succeededFuture(Outcome.skipped("queue full for " + name + ": " + maxConcurrency + " running and "
          + maxQueued + " waiting"));
    }
    Promise<Outcome> turn = Promise.promise();
    waiting.add(() -> start(action).onComplete(turn));
    return turn.future();
  }

  /**
   * Frees a slot and hands free slots to the oldest waiting calls. A loop, not recursion: with the
   * breaker open each started call ends at once and releases again, for as many as are waiting.
   */
  private void release() {
    inFlight--;
    if (draining) return;
    draining = true;
    try {
      while (inFlight < maxConcurrency && !waiting.isEmpty()) waiting.poll().run();
    } finally {
      draining = false;
    }
  }

  private Future<Outcome> start(Supplier<Future<Outcome>> action) {
    inFlight++;
    // The slot is held until the action itself ends, even after the breaker's timeout fired,
    // so a hung script still counts against the limit.
    boolean[] started = new boolean[1];
    // The slot is freed when both the action has ended and the breaker has counted its outcome
    // (so the next waiting call already sees an opened breaker).
    int[] toFree = {2};
    Future<Outcome> guarded = breaker.execute(() -> {
      started[0] = true;
      Future<Outcome> f;
      try {
        f = action.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      return f.andThen(ar -> {
        if (--toFree[0] == 0) release();
      });
    });
    return guarded.transform(ar -> {
      if (!started[0] || --toFree[0] == 0) release();
      if (ar.succeeded()) return Future.succeededFuture(ar.result());
      Throwable e = ar.cause();
      if (e instanceof OpenCircuitException) {
        openRejected.increment();
        return Future.succeededFuture(Outcome.skipped("circuit breaker open for " + name));
      }
      if (e instanceof TimeoutException) {
        timeouts.increment();
        return Future.succeededFuture(Outcome.failed(name + " timed out after " + timeout.toMillis() + " ms", true));
      }
      return Future.succeededFuture(Outcome.failed(name + ": " + e, true));
    });
  }
}
