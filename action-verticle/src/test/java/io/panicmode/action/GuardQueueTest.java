package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.CircuitBreakerConfig;
import io.panicmode.contracts.ActionResult;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guard's bounded queue: calls beyond max_concurrency wait in arrival order for a free slot
 * instead of being refused; only a call that finds max_queued already waiting is skipped (and
 * counted); with the breaker open, a long queue drains at once without recursion.
 */
@ExtendWith(VertxExtension.class)
class GuardQueueTest {
  /** Runs {@code body} on an event loop of {@code vertx} and waits for it. */
  private static <T> T onLoop(Vertx vertx, java.util.concurrent.Callable<T> body) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        out.complete(body.call());
      } catch (Exception e) {
        out.completeExceptionally(e);
      }
    });
    return out.get(10, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void callsBeyondTheLimitWaitInOrderAndOnlyAFullQueueRefuses(Vertx vertx) throws Exception {
    MetricsRegistry metrics = new MetricsRegistry();
    ActionGuard guard = new ActionGuard(vertx, "test_op",
        new CircuitBreakerConfig(5, Duration.ofMinutes(1), Duration.ofSeconds(30), 2, Duration.ofMinutes(1), 3), Duration.ofMinutes(1),
        java.time.Clock.systemUTC(), metrics);
    List<Promise<Outcome>> running = new ArrayList<>();
    List<Integer> started = new ArrayList<>();
    List<Future<Outcome>> calls = onLoop(vertx, () -> {
      List<Future<Outcome>> fs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int n = i;
        fs.add(guard.call(() -> {
          started.add(n);
          Promise<Outcome> p = Promise.promise();
          running.add(p);
          return p.future();
        }));
      }
      return fs;
    });
    // 2 running, 3 waiting, the sixth refused.
    assertEquals(List.of(0, 1), onLoop(vertx, () -> List.copyOf(started)));
    Outcome refused = calls.get(5).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(ActionResult.Status.SKIPPED, refused.status());
    assertTrue(refused.reason().contains("queue full"), refused.reason());
    assertEquals(1, metrics.counterValue("panicmode_action_queue_full_total", "action", "test_op"));
    // Each finished call hands its slot to the oldest waiting one.
    for (int i = 0; i < 5; i++) {
      int n = i;
      onLoop(vertx, () -> running.get(n).tryComplete(Outcome.done(List.of("x" + n), "")));
    }
    for (int i = 0; i < 5; i++) {
      Outcome o = calls.get(i).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(ActionResult.Status.DONE, o.status(), o.reason());
      assertEquals(List.of("x" + i), o.affected());
    }
    assertEquals(List.of(0, 1, 2, 3, 4), onLoop(vertx, () -> List.copyOf(started)));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void anOpenBreakerDrainsALongQueueWithoutRecursion(Vertx vertx) throws Exception {
    MetricsRegistry metrics = new MetricsRegistry();
    int waiting = 20_000;
    ActionGuard guard = new ActionGuard(vertx, "test_op",
        new CircuitBreakerConfig(1, Duration.ofMinutes(1), Duration.ofMinutes(5), 1, Duration.ofMinutes(1), waiting),
        Duration.ofMinutes(1), java.time.Clock.systemUTC(), metrics);
    Promise<Outcome> first = Promise.promise();
    List<Future<Outcome>> calls = onLoop(vertx, () -> {
      List<Future<Outcome>> fs = new ArrayList<>();
      fs.add(guard.call(first::future));
      for (int i = 0; i < waiting; i++) fs.add(guard.call(() -> Future.succeededFuture(Outcome.done(List.of(), ""))));
      return fs;
    });
    // The running call fails: the breaker opens and every waiting call is refused by it, in one go.
    onLoop(vertx, () -> first.tryComplete(Outcome.failed("backend down", true)));
    Future.all(calls).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    Outcome last = calls.get(waiting).result();
    assertEquals(ActionResult.Status.SKIPPED, last.status());
    assertTrue(last.reason().contains("circuit breaker open"), last.reason());
    assertEquals(waiting, metrics.counterValue("panicmode_action_breaker_rejected_total", "action", "test_op"));
  }
}
