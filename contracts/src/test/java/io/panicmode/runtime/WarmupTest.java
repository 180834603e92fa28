package io.panicmode.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmupTest {
  @Test
  void repeatsTheWorkAtLeastTheMinimumAndAtMostTheMaximumOfRounds() throws Exception {
    String before = System.getProperty(Warmup.PROPERTY);
    System.setProperty(Warmup.PROPERTY, "true");
    try {
      AtomicInteger rounds = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(Warmup.MIN_ROUNDS);
      Warmup.inBackground("test", () -> {
        rounds.incrementAndGet();
        done.countDown();
        return 1;
      });
      assertTrue(done.await(60, TimeUnit.SECONDS), "ran " + rounds.get() + " rounds");
      assertTrue(rounds.get() <= Warmup.MAX_ROUNDS);

      // A redeploy (reload) of the same role does not warm it again.
      AtomicInteger again = new AtomicInteger();
      CountDownLatch other = new CountDownLatch(1);
      Warmup.inBackground("test", () -> again.incrementAndGet());
      Warmup.inBackground("other-role", () -> {
        other.countDown();
        return 1;
      });
      assertTrue(other.await(60, TimeUnit.SECONDS), "another role still warms up");
      assertTrue(again.get() == 0, "the same role ran again " + again.get() + " times");
    } finally {
      if (before == null) System.clearProperty(Warmup.PROPERTY); else System.setProperty(Warmup.PROPERTY, before);
    }
  }
}
