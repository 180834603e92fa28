package io.panicmode.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The one way tests wait: until a condition the events under test make true holds, or until a
 * future completes. The timeout is only a backstop against a hung test, sized for a loaded build
 * machine; nothing is asserted about how long the wait took (figures belong in bench/).
 */
public final class Await {
  /** Generous on purpose: a passing test returns as soon as the condition holds. */
  public static final Duration BACKSTOP = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 10;

  private Await() {}

  /** A condition that may do I/O (an HTTP call, a SQL count) to find out whether it holds. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** A probe whose latest value is checked and, on a timeout, shown in the failure. */
  @FunctionalInterface
  public interface Probe<T> {
    T read() throws Exception;
  }

  public static void until(String what, Condition condition) throws Exception {
    until(what, BACKSTOP, condition);
  }

  public static void until(String what, Duration backstop, Condition condition) throws Exception {
    value(what, backstop, condition::holds, Boolean::booleanValue);
  }

  /**
   * Whether the condition came to hold within the backstop, for callers that assert with a message
   * built after the wait (a process's output so far).
   */
  public static boolean holds(Duration backstop, Condition condition) throws Exception {
    long deadline = System.nanoTime() + backstop.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) return false;
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }

  /** Reads the probe until its value passes, and returns that value. */
  public static <T> T value(String what, Probe<T> probe, Predicate<? super T> done) throws Exception {
    return value(what, BACKSTOP, probe, done);
  }

  public static <T> T value(String what, Duration backstop, Probe<T> probe, Predicate<? super T> done)
      throws Exception {
    long deadline = System.nanoTime() + backstop.toNanos();
    while (true) {
      T last = probe.read();
      if (done.test(last)) return last;
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + backstop.toSeconds() + " s waiting for " + what + "; last seen: " + last);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** The future's result; its failure is rethrown as the cause. */
  public static <T> T result(Future<T> future) throws Exception {
    return result(future, BACKSTOP);
  }

  public static <T> T result(Future<T> future, Duration backstop) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(backstop.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    } catch (TimeoutException e) {
      throw new AssertionError("future not completed within " + backstop.toSeconds() + " s", e);
    }
  }
}
