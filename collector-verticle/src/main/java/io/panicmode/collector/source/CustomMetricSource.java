package io.panicmode.collector.source;

import io.panicmode.config.ArgvSplitter;
import io.panicmode.collector.custom.OutputParser;
import io.panicmode.config.CustomMetricConfig;
import io.panicmode.contracts.MetricNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * custom: one value per {@code custom_metrics} entry, keyed by its name. The command is split
 * shell-style into argv ({@link ArgvSplitter}) and started directly, never through a shell. Due
 * commands run in parallel; each is killed (with its descendants) at its {@code timeout}. A value
 * younger than {@code cache_ttl} is reused without running the command. Output beyond 64 KiB is
 * ignored. A failed metric is unavailable as {@code custom:<name>}; the others are unaffected.
 */
public final class CustomMetricSource implements MetricSource {
  static final int MAX_OUTPUT = 64 * 1024;

  private record Cached(double value, long atNanos) {}

  private record Running(String name, Process process, Path out, long deadlineNanos) {}

  private final Map<String, CustomMetricConfig> metrics;
  private final LongSupplier nanos;
  private final Map<String, Cached> cache = new LinkedHashMap<>();
  private final Map<String, List<String>> argv = new LinkedHashMap<>();
  private final Map<String, String> invalid = new LinkedHashMap<>();

  public CustomMetricSource(Map<String, CustomMetricConfig> metrics, LongSupplier nanos) {
    this.metrics = new LinkedHashMap<>(metrics);
    this.nanos = nanos;
    metrics.forEach((name, c) -> {
      try {
        argv.put(name, ArgvSplitter.split(c.command()));
      } catch (IllegalArgumentException e) {
        invalid.put(name, "command cannot be split: " + e.getMessage());
      }
    });
  }

  @Override public String name() { return "custom"; }

  @Override public List<String> metrics() { return List.of(MetricNames.CUSTOM); }

  @Override
  public Duration budget() {
    Duration max = Duration.ZERO;
    for (CustomMetricConfig c : metrics.values()) if (c.timeout().compareTo(max) > 0) max = c.timeout();
    return max.plusSeconds(1);
  }

  @Override
  public void collect(Readings out) throws Exception {
    out.emptySeries(MetricNames.CUSTOM);
    invalid.forEach((name, why) -> out.unavailable(Readings.labelKey(MetricNames.CUSTOM, name), why));
    long now = nanos.getAsLong();
    List<Running> running = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : argv.entrySet()) {
      String name = e.getKey();
      CustomMetricConfig c = metrics.get(name);
      Cached hit = cache.get(name);
      if (hit != null && c.cacheTtl() != null && now - hit.atNanos < c.cacheTtl().toNanos()) {
        out.series(MetricNames.CUSTOM, name, hit.value);
        continue;
      }
      // The output goes to a file of its own (no pipe to drain while others run), removed
      // after it is read whatever happened.
      Path file = null;
      try {
        file = Files.createTempFile("panicmode-custom-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(e.getValue())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(file.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        running.add(new Running(name, pb.start(), file, System.nanoTime() + c.timeout().toNanos()));
      } catch (IOException ex) {
        if (file != null) Files.deleteIfExists(file);
        out.unavailable(Readings.labelKey(MetricNames.CUSTOM, name), "cannot start: " + ex.getMessage());
      }
    }
    for (Running r : running) {
      String key = Readings.labelKey(MetricNames.CUSTOM, r.name);
      try {
        long wait = Math.max(0, r.deadlineNanos - System.nanoTime());
        if (!r.process.waitFor(wait, TimeUnit.NANOSECONDS)) {
          kill(r.process);
          out.unavailable(key, "timed out after " + metrics.get(r.name).timeout().toMillis() + " ms");
          continue;
        }
        if (r.process.exitValue() != 0) {
          out.unavailable(key, "exited with status " + r.process.exitValue());
          continue;
        }
        double v = OutputParser.parse(readCapped(r.out), metrics.get(r.name).outputFormat());
        cache.put(r.name, new Cached(v, nanos.getAsLong()));
        out.series(MetricNames.CUSTOM, r.name, v);
      } catch (IllegalArgumentException ex) {
        out.unavailable(key, ex.getMessage());
      } catch (InterruptedException ex) {
        kill(r.process);
        Thread.currentThread().interrupt();
        throw ex;
      } finally {
        Files.deleteIfExists(r.out);
      }
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static String readCapped(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
    }
  }
}
