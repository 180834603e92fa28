package io.panicmode.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.CustomMetricConfig;
import io.panicmode.config.OutputFormat;
import io.panicmode.contracts.MetricNames;
import io.panicmode.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real commands, no shell: values, formats, failures, timeout, cache. */
class CustomMetricSourceTest {
  @TempDir Path dir;
  final AtomicLong nanos = new AtomicLong();

  static CustomMetricConfig cmd(String command, String timeout, String ttl, OutputFormat f) {
    return new CustomMetricConfig(command, Duration.parse("PT" + timeout), ttl == null ? null : Duration.parse("PT" + ttl), f);
  }

  @Test
  void eachFormatAndEachFailureIsSeparate() throws Exception {
    Map<String, CustomMetricConfig> m = new LinkedHashMap<>();
    m.put("num", cmd("echo 42.5", "5S", null, OutputFormat.NUMBER));
    m.put("js", cmd("printf '{\"value\": 7}'", "5S", null, OutputFormat.JSON));
    m.put("lines", cmd("printf 'a\\nb\\n\\nc\\n'", "5S", null, OutputFormat.TEXT));
    m.put("shell", cmd("/bin/sh -c \"echo 3 | wc -l\"", "5S", null, OutputFormat.NUMBER));
    m.put("noshell", cmd("echo 1 | wc -l", "5S", null, OutputFormat.NUMBER));
    m.put("fails", cmd("false", "5S", null, OutputFormat.NUMBER));
    m.put("missing", cmd("/no/such/program", "5S", null, OutputFormat.NUMBER));
    m.put("garbage", cmd("echo NaN", "5S", null, OutputFormat.NUMBER));
    m.put("unsplittable", cmd("echo 'open", "5S", null, OutputFormat.NUMBER));
    CustomMetricSource s = new CustomMetricSource(m, nanos::get);
    Readings r = new Readings();
    s.collect(r);
    assertEquals(Map.of("num", 42.5, "js", 7.0, "lines", 3.0, "shell", 1.0), r.series().get(MetricNames.CUSTOM));
    // Without a shell the pipe is just an argument to echo: output "1 | wc -l" is not a number.
    assertTrue(r.unavailableMap().get("custom:noshell").contains("not a number"));
    assertTrue(r.unavailableMap().get("custom:fails").contains("status 1"));
    assertTrue(r.unavailableMap().get("custom:missing").contains("cannot start"));
    assertTrue(r.unavailableMap().get("custom:garbage").contains("not a number"));
    assertTrue(r.unavailableMap().get("custom:unsplittable").contains("cannot be split"));
    s.close();
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aHangingCommandIsKilledAtItsTimeoutWithItsChildren() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Map<String, CustomMetricConfig> m = Map.of("slow",
        cmd("/bin/sh -c \"sleep 600 & echo $! > " + pidFile + "; wait\"", "2S", null, OutputFormat.NUMBER));
    CustomMetricSource s = new CustomMetricSource(m, nanos::get);
    Readings r = new Readings();
    // Returns at the 2 s timeout; were it to wait for the command's own 600 s, the test's timeout stops it.
    s.collect(r);
    assertTrue(r.unavailableMap().get("custom:slow").contains("timed out"));
    long child = Long.parseLong(Files.readString(pidFile).trim());
    Await.until("the command's child killed too", () -> !running(child));
  }

  /** Alive and not a zombie waiting for a parent that is gone. */
  private static boolean running(long pid) throws java.io.IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) return false;
    String s;
    try {
      s = Files.readString(stat);
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
    return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
  }

  @Test
  void cachedValueIsReusedWithinTheTtl() throws Exception {
    Path counter = dir.resolve("count");
    Map<String, CustomMetricConfig> m = Map.of("c",
        cmd("/bin/sh -c \"echo x >> " + counter + "; wc -l < " + counter + "\"", "5S", "10S", OutputFormat.NUMBER));
    CustomMetricSource s = new CustomMetricSource(m, nanos::get);
    Readings r1 = new Readings();
    s.collect(r1);
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    Readings r2 = new Readings();
    s.collect(r2);
    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    Readings r3 = new Readings();
    s.collect(r3);
    assertEquals(1.0, r1.series().get(MetricNames.CUSTOM).get("c"));
    assertEquals(1.0, r2.series().get(MetricNames.CUSTOM).get("c"));
    assertEquals(2.0, r3.series().get(MetricNames.CUSTOM).get("c"));
    s.close();
  }
}
