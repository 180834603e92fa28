package io.panicmode.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** What the multi-JVM benchmarks (fleet, bridge) measure and wait on: percentiles, /proc figures, ports. */
public final class BenchProcess {
  private BenchProcess() {}

  /** The p-th percentile of sorted nanosecond samples, in milliseconds (NaN without samples). */
  public static double pct(long[] sortedNanos, int p) {
    if (sortedNanos.length == 0) return Double.NaN;
    int i = Math.min(sortedNanos.length - 1, (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, i)] / 1e6;
  }

  /** User plus system CPU of a process so far, in clock ticks. */
  public static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Resident set size of a process in KiB, or -1 when /proc does not say. */
  public static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    return -1;
  }

  /** A file's text, or "" while it does not exist or cannot be read (a log being written). */
  public static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public static void waitFor(BooleanSupplier condition, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new IllegalStateException("timed out");
      Thread.sleep(100);
    }
  }
}
