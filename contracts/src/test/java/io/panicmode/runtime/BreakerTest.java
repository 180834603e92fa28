package io.panicmode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.panicmode.testing.SteppedClock;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Outcomes the policy calls failures open the breaker although they are normal values; the open
 * duration runs on the injected clock; after it one probe decides.
 */
@ExtendWith(VertxExtension.class)
class BreakerTest {
  private final SteppedClock clock = new SteppedClock();
  private final AtomicInteger ran = new AtomicInteger();

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void opensOnPolicyFailuresAndProbesAfterTheOpenDurationOnTheClock(Vertx vertx) throws Exception {
    Breaker<String> b = onLoop(vertx, () -> new Breaker<>(vertx, "test", 2, Duration.ofMinutes(1), Duration.ofSeconds(30),
        Duration.ofMinutes(1), clock, f -> f.failed() || f.result().startsWith("bad")));
    assertEquals("bad 1", call(vertx, b, "bad 1"), "a failure by policy still returns the call's own value");
    assertEquals("ok", call(vertx, b, "ok"));
    assertEquals("bad 2", call(vertx, b, "bad 2"));
    assertEquals(CircuitBreakerState.CLOSED, b.state(), "a success between failures does not reset the window count");
    assertEquals("bad 3", call(vertx, b, "bad 3"));
    assertEquals(CircuitBreakerState.OPEN, b.state());
    int before = ran.get();
    assertInstanceOf(OpenCircuitException.class, failure(vertx, b));
    assertEquals(before, ran.get(), "an open breaker does not run the call");

    clock.advance(Duration.ofSeconds(30));
    assertEquals(CircuitBreakerState.HALF_OPEN, b.state());
    assertEquals("bad probe", call(vertx, b, "bad probe"));
    assertEquals(CircuitBreakerState.OPEN, b.state(), "a failed probe opens it again");
    assertInstanceOf(OpenCircuitException.class, failure(vertx, b));

    clock.advance(Duration.ofSeconds(30));
    Promise<String> probe = Promise.promise();
    Future<String> probing = onLoop(vertx, () -> b.execute(() -> probe.future()));
    assertInstanceOf(OpenCircuitException.class, failure(vertx, b), "one probe at a time");
    vertx.runOnContext(v -> probe.complete("ok"));
    assertEquals("ok", probing.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(CircuitBreakerState.CLOSED, b.state());
    assertEquals("ok", call(vertx, b, "ok"));
  }

  private String call(Vertx vertx, Breaker<String> b, String result) throws Exception {
    return onLoop(vertx, () -> b.execute(() -> {
      ran.incrementAndGet();
      return Future.succeededFuture(result);
    })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Throwable failure(Vertx vertx, Breaker<String> b) throws Exception {
    Future<String> f = onLoop(vertx, () -> b.execute(() -> {
      ran.incrementAndGet();
      return Future.succeededFuture("ran");
    }));
    return f.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
  }

  private static <T> T onLoop(Vertx vertx, java.util.concurrent.Callable<T> body) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      try {
        out.complete(body.call());
      } catch (Exception e) {
        out.completeExceptionally(e);
      }
    });
    return out.get(10, TimeUnit.SECONDS);
  }
}
