package io.panicmode.runtime.selfcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PerformanceConfig;
import io.panicmode.runtime.selfcheck.SelfSampler.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfCheckTest {
  static final PerformanceConfig PERF = new PerformanceConfig(5.0, 50, Duration.ofSeconds(5), 100, 50,
      Duration.ofSeconds(300), Duration.ofSeconds(5));

  static List<String> checks(List<SelfCheck.Breach> b) { return b.stream().map(SelfCheck.Breach::check).toList(); }

  @Test
  void fdsAndThreadsAlertOncePerCooldown() {
    SelfCheck c = new SelfCheck(PERF, 0, Duration.ofSeconds(60));
    assertEquals(List.of("fds", "threads"), checks(c.evaluate(new Sample(1, 80, 101, 51), 1000)));
    assertEquals(List.of(), checks(c.evaluate(new Sample(1, 80, 150, 60), 200_000)));
    assertEquals(List.of("fds", "threads"), checks(c.evaluate(new Sample(1, 80, 150, 60), 301_000)));
    assertEquals(List.of(), checks(c.evaluate(new Sample(1, 80, 100, 50), 700_000)), "at the limit is not over it");
  }

  @Test
  void cpuMustStayOverTheLimitForSeveralSamplesAfterSettling() {
    SelfCheck c = new SelfCheck(PERF, 0, Duration.ofSeconds(60));
    assertEquals(List.of(), checks(c.evaluate(new Sample(90, 80, 1, 1), 10_000)), "start-up JIT is not judged");
    assertEquals(List.of(), checks(c.evaluate(new Sample(90, 80, 1, 1), 61_000)));
    assertEquals(List.of(), checks(c.evaluate(new Sample(90, 80, 1, 1), 66_000)));
    assertEquals(List.of("cpu"), checks(c.evaluate(new Sample(90, 80, 1, 1), 71_000)));
    SelfCheck d = new SelfCheck(PERF, 0, Duration.ofSeconds(60));
    d.evaluate(new Sample(90, 80, 1, 1), 61_000);
    d.evaluate(new Sample(1, 80, 1, 1), 66_000);
    assertEquals(List.of(), checks(d.evaluate(new Sample(90, 80, 1, 1), 71_000)), "a dip resets the run");
  }

  @Test
  void memoryGrowthIsMeasuredFromTheSettledBaselineNotTheFirstSample() {
    SelfCheck c = new SelfCheck(PERF, 0, Duration.ofSeconds(60));
    // Start-up: RSS climbs from 40 to 120 MB; none of it counts.
    c.evaluate(new Sample(1, 40, 1, 1), 1_000);
    c.evaluate(new Sample(1, 120, 1, 1), 30_000);
    assertNull(c.baselineMb());
    for (double rss : new double[] {118, 125, 121, 119, 123}) c.evaluate(new Sample(1, rss, 1, 1), 61_000);
    assertEquals(121.0, c.baselineMb(), "median of the settled samples");
    assertEquals(List.of(), checks(c.evaluate(new Sample(1, 170, 1, 1), 70_000)), "49 MB of growth is within 50");
    assertEquals(List.of("memory"), checks(c.evaluate(new Sample(1, 172, 1, 1), 75_000)));
    SelfCheck.Breach b = new SelfCheck(PERF, 0, Duration.ZERO).evaluate(new Sample(1, 1, 1, 1), 0).stream().findFirst().orElse(null);
    assertNull(b);
  }

  @Test
  void samplerReadsRssThreadsAndFdsFromTheProcRoot(@TempDir Path root) throws Exception {
    Path self = Files.createDirectories(root.resolve("self/fd"));
    for (int i = 0; i < 4; i++) Files.createFile(self.resolve(String.valueOf(i)));
    Files.writeString(root.resolve("self/status"), "Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t  204800 kB\nThreads:\t37\n");
    AtomicLong nanos = new AtomicLong(0);
    AtomicLong cpu = new AtomicLong(0);
    SelfSampler s = new SelfSampler(root, nanos::get, () -> Duration.ofNanos(cpu.get()));
    Sample first = s.sample();
    assertTrue(Double.isNaN(first.cpuPercent()));
    assertEquals(200.0, first.rssMb());
    assertEquals(37, first.threads());
    // Four entries, minus the descriptor a real /proc/self/fd listing holds for itself.
    assertEquals(3, first.openFds());
    nanos.set(2_000_000_000L);
    cpu.set(500_000_000L);
    assertEquals(25.0, s.sample().cpuPercent(), 1e-9);
  }

  @Test
  void samplerOnTheRealProcess() throws Exception {
    SelfSampler s = new SelfSampler(Path.of("/proc"));
    Sample a = s.sample();
    assertTrue(a.rssMb() > 10 && a.threads() > 1 && a.openFds() > 2, a.toString());
  }
}
