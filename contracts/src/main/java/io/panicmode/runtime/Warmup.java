package io.panicmode.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a role's warm-up (synthetic traffic through private copies of its hot path, touching no
 * shared state) once per process, on a daemon thread of its own (a reload redeploys the role, but the
 * code it runs is compiled already), so that the JIT compiles the path from a log
 * line to a ban before the first attacker instead of during it. {@code -Dpanicmode.warmup=false}
 * turns it off (the unit tests do, to save their CPU).
 */
public final class Warmup {
  public static final String PROPERTY = "panicmode.warmup";
  static final int MIN_ROUNDS = 5;
  static final int MAX_ROUNDS = 12;
  static final long IDLE_MS = 200;
  static final long MAX_WAIT_MS = 20_000;
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

  private Warmup() {}

  public static boolean enabled() { return !"false".equals(System.getProperty(PROPERTY)); }

  /**
   * Starts {@code work} in the background unless warm-up is off, and repeats it until it stops getting
   * cheaper (its CPU time falls by less than a fifth from one round to the next; at least
   * {@value #MIN_ROUNDS}, at most {@value #MAX_ROUNDS} rounds), each round once the JIT compiler has gone
   * idle; a role already warmed up in this process is not warmed again. Both matter: the JIT compiles a method only after about a thousand calls here, and while its queue
   * is long (the process is starting, or the host is busy) it raises that threshold in proportion. A
   * failure is logged and changes nothing else.
   */
  public static void inBackground(String role, LongSupplier work) {
    if (!enabled() || !STARTED.add(role)) return;
    Thread t = new Thread(() -> {
      long t0 = System.nanoTime();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long previous = Long.MAX_VALUE;
      long units = 0;
      int rounds = 0;
      try {
        while (rounds < MAX_ROUNDS) {
          if (rounds > 0) awaitCompilerIdle(MAX_WAIT_MS);
          long c0 = threads.getCurrentThreadCpuTime();
          units += work.getAsLong();
          long cost = threads.getCurrentThreadCpuTime() - c0;
          rounds++;
          if (rounds >= MIN_ROUNDS && cost * 5 > previous * 4) break;
          previous = cost;
        }
        LOG.debug("{} hot path warmed up in {} ms, {} rounds ({} units)", role, (System.nanoTime() - t0) / 1_000_000, rounds,
            units);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.warn("warm-up of the {} hot path failed (the role works all the same, its first events are slower): {}", role,
            e.toString());
      }
    }, "panicmode-warmup-" + role);
    t.setDaemon(true);
    t.start();
  }

  /** Returns once no compilation finished for {@value #IDLE_MS} ms, or after {@code maxMillis}. */
  static void awaitCompilerIdle(long maxMillis) throws InterruptedException {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      Thread.sleep(IDLE_MS);
      return;
    }
    long deadline = System.nanoTime() + maxMillis * 1_000_000;
    long last = jit.getTotalCompilationTime();
    do {
      Thread.sleep(IDLE_MS);
      long now = jit.getTotalCompilationTime();
      if (now == last) return;
      last = now;
    } while (System.nanoTime() < deadline);
  }
}
