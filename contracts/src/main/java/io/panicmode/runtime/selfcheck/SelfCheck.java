package io.panicmode.runtime.selfcheck;

import io.panicmode.config.PerformanceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges self samples against {@code performance.*}:
 * <ul>
 *   <li>{@code cpu}: CPU % (100 = one core) above {@code cpu_limit} for {@value #CPU_SAMPLES}
 *       samples in a row, so one JIT or GC burst does not alert;</li>
 *   <li>{@code memory}: resident memory grown more than {@code memory_limit_mb} above a settled
 *       baseline. The baseline is the median of the first {@value #BASELINE_SAMPLES} samples taken
 *       after the settle time (start-up allocation is over by then), and follows the RSS down
 *       when it shrinks. The JVM's own footprint is larger than the Rust daemon's whole budget of
 *       50 MB, so a leak shows as growth, not as an absolute figure;</li>
 *   <li>{@code fds} and {@code threads}: above {@code self_fd_threshold} /
 *       {@code self_thread_threshold}.</li>
 * </ul>
 * Each check alerts at most once per {@code self_alert_cooldown}. Not thread-safe.
 */
public final class SelfCheck {
  static final int CPU_SAMPLES = 3;
  static final int BASELINE_SAMPLES = 5;

  /** One limit exceeded, to be alerted now. */
  public record Breach(String check, double value, double limit, String description) {}

  private final PerformanceConfig perf;
  private final long startedAt;
  private final long settleMillis;
  private final Map<String, Long> lastAlert = new HashMap<>();
  private final List<Double> baselineSamples = new ArrayList<>();
  private Double baselineMb;
  private int cpuOver;

  public SelfCheck(PerformanceConfig perf, long startedAtMillis, Duration settle) {
    this.perf = perf;
    this.startedAt = startedAtMillis;
    this.settleMillis = settle.toMillis();
  }

  /** The settled memory baseline, or null while it is not settled yet. */
  public Double baselineMb() { return baselineMb; }

  public List<Breach> evaluate(SelfSampler.Sample s, long now) {
    List<Breach> out = new ArrayList<>();
    boolean settled = now - startedAt >= settleMillis;
    if (settled && !Double.isNaN(s.cpuPercent()) && s.cpuPercent() > perf.cpuLimit()) {
      cpuOver++;
    } else {
      cpuOver = 0;
    }
    if (cpuOver >= CPU_SAMPLES) {
      maybe(out, now, "cpu", s.cpuPercent(), perf.cpuLimit(),
          String.format("PanicMode CPU %.1f%% > %.1f%% for %d samples", s.cpuPercent(), perf.cpuLimit(), cpuOver));
    }
    if (settled) {
      if (baselineMb == null) {
        baselineSamples.add(s.rssMb());
        if (baselineSamples.size() == BASELINE_SAMPLES) {
          double[] a = baselineSamples.stream().mapToDouble(Double::doubleValue).toArray();
          Arrays.sort(a);
          baselineMb = a[a.length / 2];
        }
      } else {
        if (s.rssMb() < baselineMb) baselineMb = s.rssMb();
        double growth = s.rssMb() - baselineMb;
        if (growth > perf.memoryLimitMb()) {
          maybe(out, now, "memory", growth, perf.memoryLimitMb(), String.format(
              "PanicMode memory grew %.1f MB above its settled baseline of %.1f MB (RSS %.1f MB) > %d MB",
              growth, baselineMb, s.rssMb(), perf.memoryLimitMb()));
        }
      }
    }
    if (s.openFds() > perf.selfFdThreshold()) {
      maybe(out, now, "fds", s.openFds(), perf.selfFdThreshold(),
          "PanicMode open file descriptors " + s.openFds() + " > " + perf.selfFdThreshold());
    }
    if (s.threads() > perf.selfThreadThreshold()) {
      maybe(out, now, "threads", s.threads(), perf.selfThreadThreshold(),
          "PanicMode threads " + s.threads() + " > " + perf.selfThreadThreshold());
    }
    return out;
  }

  private void maybe(List<Breach> out, long now, String check, double value, double limit, String text) {
    Long last = lastAlert.get(check);
    if (last != null && now - last < perf.selfAlertCooldown().toMillis()) return;
    lastAlert.put(check, now);
    out.add(new Breach(check, value, limit, text));
  }
}
