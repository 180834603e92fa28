package io.panicmode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.collector.source.MetricSource;
import io.panicmode.collector.source.Readings;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.runtime.MetricsRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cross-cutting rules: failures and overruns become "unavailable" with a reason, the rest goes on. */
class CycleRunnerTest {
  static MetricSource source(String name, List<String> metrics, Duration budget, ThrowingCollect c) {
    return new MetricSource() {
      @Override public String name() { return name; }

      @Override public List<String> metrics() { return metrics; }

      @Override public Duration budget() { return budget; }

      @Override public void collect(Readings out) throws Exception { c.collect(out); }
    };
  }

  interface ThrowingCollect { void collect(Readings out) throws Exception; }

  /** Were the cycle to wait for the hung source, it would wait for ever: the timeout only stops that hang. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void failingAndHangingSourcesAreUnavailableAndTheOthersGoOn() {
    CountDownLatch release = new CountDownLatch(1);
    MetricsRegistry m = new MetricsRegistry();
    CycleRunner r = new CycleRunner(List.of(
        source("good", List.of("cpu_usage"), Duration.ofSeconds(2), out -> out.gauge("cpu_usage", 12.5)),
        source("broken", List.of("memory_usage", "swap_usage"), Duration.ofSeconds(2), out -> {
          out.gauge("memory_usage", 99);
          throw new java.io.IOException("meminfo: permission denied");
        }),
        source("hung", List.of("disk_usage"), Duration.ofMillis(200), out -> release.await())),
        "web1", () -> 42L, m);
    MetricsSnapshot s = r.runOnce();
    assertEquals(12.5, s.gauge("cpu_usage"));
    assertNull(s.gauge("memory_usage"), "a failed source never reports a value, not even a partial one");
    assertTrue(s.unavailable().get("memory_usage").contains("permission denied"));
    assertTrue(s.unavailable().get("swap_usage").contains("permission denied"));
    assertTrue(s.unavailable().get("disk_usage").contains("no answer within 200 ms"));
    assertEquals(42L, s.ts());
    // Next cycle: the hung source is still stuck and is not started a second time.
    MetricsSnapshot s2 = r.runOnce();
    assertTrue(s2.unavailable().get("disk_usage").contains("still running"));
    assertEquals(12.5, s2.gauge("cpu_usage"));
    assertEquals(2, m.counterValue("panicmode_collector_source_errors_total", "source", "broken"));
    assertEquals(2, m.counterValue("panicmode_collector_source_errors_total", "source", "hung"));
    release.countDown();
    r.close();
  }

  @Test
  void labelLevelUnavailabilityKeepsTheSeries() {
    CycleRunner r = new CycleRunner(List.of(source("custom", List.of("custom"), Duration.ofSeconds(1), out -> {
      out.series("custom", "ok", 1);
      out.unavailable(Readings.labelKey("custom", "bad"), "timed out after 100 ms");
    })), "web1", () -> 1L, new MetricsRegistry());
    MetricsSnapshot s = r.runOnce();
    assertEquals(java.util.Map.of("ok", 1.0), s.series("custom"));
    assertEquals("timed out after 100 ms", s.unavailable().get("custom:bad"));
    r.close();
  }

  @Test
  void aSourceThatCouldNotBeSetUpIsReportedEveryCycle() {
    CycleRunner r = new CycleRunner(List.of(
        new io.panicmode.collector.source.UnavailableSource("file_monitor", List.of("file_events"), "inotify instances exhausted")),
        "web1", () -> 1L, new MetricsRegistry());
    assertTrue(r.runOnce().unavailable().get("file_events").contains("could not be set up: inotify instances exhausted"));
    r.close();
  }
}
