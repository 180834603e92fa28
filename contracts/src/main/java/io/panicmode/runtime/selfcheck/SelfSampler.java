package io.panicmode.runtime.selfcheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads this process's own figures: CPU % since the previous sample (100 = one core fully
 * busy, as top shows it), resident memory, open file descriptors and OS threads, from
 * {@code <proc root>/self}. Not thread-safe; one caller at a time.
 */
public final class SelfSampler {
  /** One sample; {@code cpuPercent} is NaN on the first sample (no interval yet). */
  public record Sample(double cpuPercent, double rssMb, int openFds, int threads) {}

  private final Path self;
  private final LongSupplier nanos;
  private final Supplier<Duration> cpuTime;
  private long lastNanos = -1;
  private long lastCpuNanos;

  public SelfSampler(Path procRoot) {
    this(procRoot, System::nanoTime,
        () -> ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
  }

  /** @param cpuTime total CPU time used by the process so far */
  public SelfSampler(Path procRoot, LongSupplier nanos, Supplier<Duration> cpuTime) {
    this.self = procRoot.resolve("self");
    this.nanos = nanos;
    this.cpuTime = cpuTime;
  }

  public Sample sample() throws IOException {
    long t = nanos.getAsLong();
    long cpu = cpuTime.get().toNanos();
    double pct = Double.NaN;
    if (lastNanos >= 0 && t > lastNanos) pct = Math.max(0, 100.0 * (cpu - lastCpuNanos) / (t - lastNanos));
    lastNanos = t;
    lastCpuNanos = cpu;
    String status = new String(Files.readAllBytes(self.resolve("status")), StandardCharsets.ISO_8859_1);
    long rssKb = statusField(status, "VmRSS:");
    long threads = statusField(status, "Threads:");
    int fds = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(self.resolve("fd"))) {
      for (Path ignored : ds) fds++;
    }
    // The directory stream itself holds one descriptor while counting.
    return new Sample(pct, rssKb / 1024.0, Math.max(0, fds - 1), (int) threads);
  }

  /** The number after {@code key} in /proc/self/status, e.g. "VmRSS:   123456 kB". */
  static long statusField(String status, String key) throws IOException {
    int i = status.indexOf("\n" + key);
    int at = i >= 0 ? i + 1 : (status.startsWith(key) ? 0 : -1);
    if (at < 0) throw new IOException("status: no " + key);
    int p = at + key.length();
    while (p < status.length() && (status.charAt(p) == ' ' || status.charAt(p) == '\t')) p++;
    int start = p;
    while (p < status.length() && Character.isDigit(status.charAt(p))) p++;
    if (p == start) throw new IOException("status: " + key + " is not a number");
    return Long.parseLong(status.substring(start, p));
  }
}
