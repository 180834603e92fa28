package io.panicmode.runtime;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.FailurePolicy;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The circuit breaker the action and alert roles wrap their calls in: a vertx-circuit-breaker
 * (failures counted in a rolling window, a timeout per call) that judges outcomes with its own
 * {@link FailurePolicy}, so a call may end in a normal value that still counts as a failure. Only
 * the open → half-open step is ours: vertx-circuit-breaker times it with a real timer, here it
 * follows the injected clock, so the open duration is a config value tests can step over. Once
 * {@code openDuration} has passed, one call goes through as a probe (others are refused meanwhile):
 * success closes the breaker, failure opens it again. Event loop only.
 *
 * @param <T> what the guarded calls produce
 */
public final class Breaker<T> {
  private final Supplier<CircuitBreaker> create;
  private CircuitBreaker breaker;
  private final FailurePolicy<T> policy;
  private final Clock clock;
  private final long openMs;
  private long openedAt;
  private boolean probing;

  /**
   * @param timeout how long a call may run before it fails and counts as a failure; null when the
   *                caller times its calls itself
   * @param policy  true for an outcome that counts as a failure; failed futures (a timeout, an
   *                exception) should count too
   */
  public Breaker(Vertx vertx, String name, int maxFailures, Duration failureWindow, Duration openDuration, Duration timeout,
                 Clock clock, FailurePolicy<T> policy) {
    this.policy = policy;
    this.clock = clock;
    this.openMs = openDuration.toMillis();
    CircuitBreakerOptions options = new CircuitBreakerOptions()
        .setMaxFailures(Math.max(1, maxFailures))
        .setFailuresRollingWindow(failureWindow.toMillis())
        // Never half-open by itself: execute() does it on the clock.
        .setResetTimeout(-1)
        .setTimeout(timeout == null ? -1 : timeout.toMillis())
        .setMaxRetries(0)
        // No event-bus notifications: on a clustered bus they would tell every node about our breakers.
        .setNotificationAddress(null);
    this.create = () -> CircuitBreaker.create(name, vertx, options).failurePolicy(policy)
        .openHandler(v -> openedAt = clock.millis());
    this.breaker = create.get();
  }

  /**
   * Runs {@code call} unless the breaker is open: then fails at once with
   * {@link OpenCircuitException} without running it. A call longer than the timeout fails with
   * vertx-circuit-breaker's {@code TimeoutException}; otherwise the call's own result is returned,
   * whether or not the policy counted it as a failure.
   */
  public Future<T> execute(Supplier<Future<T>> call) {
    if (probing) return Future.failedFuture(OpenCircuitException.INSTANCE);
    if (breaker.state() != CircuitBreakerState.OPEN || clock.millis() - openedAt < openMs) return run(call);
    probing = true;
    // The library closes an open breaker only from its own timer: a fresh one (closed) runs the probe.
    breaker.close();
    breaker = create.get();
    return run(call).andThen(ar -> {
      probing = false;
      if (policy.test(ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause()))) breaker.open();
    });
  }

  /**
   * The library fails its own future for an outcome the policy counts as a failure (with no
   * cause); the caller gets the call's own result instead, or the library's failure (open, timeout).
   */
  private Future<T> run(Supplier<Future<T>> call) {
    var own = new Object() {
      Future<T> result;
    };
    return breaker.<T>execute(() -> own.result = call.get())
        .recover(e -> own.result != null && own.result.succeeded() ? own.result : Future.failedFuture(e));
  }

  /** As the next call would find it: half-open once the open duration has passed or while a probe runs. */
  public CircuitBreakerState state() {
    if (probing) return CircuitBreakerState.HALF_OPEN;
    CircuitBreakerState s = breaker.state();
    return s == CircuitBreakerState.OPEN && clock.millis() - openedAt >= openMs ? CircuitBreakerState.HALF_OPEN : s;
  }

  public void close() { breaker.close(); }
}
