package io.panicmode.bench.collector;

import io.panicmode.collector.auth.AuthLogFile;
import io.panicmode.collector.auth.SshdFailure;
import io.panicmode.collector.auth.SshdLineParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Auth-line throughput on one thread. "parse": the parser alone over the file already in memory
 * (lines split once beforehand); "file": the whole path auth-scan and replay use (read the file,
 * split lines with the length cap, parse). Median of RUNS after WARMUP runs.
 * Usage: AuthThroughputBench FILE
 */
public final class AuthThroughputBench {
  private AuthThroughputBench() {}

  static final int WARMUP = 5;
  static final int RUNS = 9;

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    byte[] all = Files.readAllBytes(file);
    int lines = 0;
    for (byte b : all) if (b == '\n') lines++;
    int[] starts = new int[lines];
    int[] ends = new int[lines];
    int k = 0;
    int s = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        starts[k] = s;
        ends[k++] = i;
        s = i + 1;
      }
    }
    SshdLineParser parser = SshdLineParser.forYear(ZoneOffset.UTC, 2026);
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] parseCpu = new double[RUNS];
    double[] parse = new double[RUNS];
    double[] fileRuns = new double[RUNS];
    long matched = 0;
    for (int run = 0; run < WARMUP + RUNS; run++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      long m = 0;
      for (int i = 0; i < lines; i++) {
        SshdFailure f = parser.parseLine(all, starts[i], ends[i] - starts[i]);
        if (f != null) m++;
      }
      long t1 = System.nanoTime();
      long c1 = threads.getCurrentThreadCpuTime();
      long[] m2 = {0};
      AuthLogFile.scan(file, AuthLogFile.MAX_LINE_BYTES, (n, f) -> m2[0]++, parser);
      long t2 = System.nanoTime();
      if (run >= WARMUP) {
        parse[run - WARMUP] = (t1 - t0) / 1e9;
        parseCpu[run - WARMUP] = (c1 - c0) / 1e9;
        fileRuns[run - WARMUP] = (t2 - t1) / 1e9;
      }
      matched = m;
      if (m != m2[0]) throw new IllegalStateException("parse and file paths disagree: " + m + " vs " + m2[0]);
    }
    double p = median(parse);
    double f = median(fileRuns);
    System.out.printf("lines=%d failures=%d%n", lines, matched);
    double pc = median(parseCpu);
    System.out.printf("parse_seconds=%.4f parse_lines_per_sec=%.0f (per thread-cpu second %.0f)%n", p, lines / p, lines / pc);
    System.out.printf("file_seconds=%.4f file_lines_per_sec=%.0f%n", f, lines / f);
  }

  static double median(double[] a) {
    double[] c = a.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
