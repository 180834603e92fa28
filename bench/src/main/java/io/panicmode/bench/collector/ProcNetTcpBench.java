package io.panicmode.bench.collector;

import io.panicmode.collector.proc.NetTcpParser;
import io.panicmode.collector.source.ConnectionSource;
import io.panicmode.collector.source.ProcRoot;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A /proc/net/tcp-format file with CONNECTIONS established sockets from 5,000 remote IPs (plus a
 * few listening and TIME_WAIT ones) -> established counts per IP. Reported beside two floors
 * measured in the same run on the same file: reading its bytes in this JVM, and {@code cat FILE >
 * /dev/null} (a process start included). Median of 21 runs after warm-up.
 * Usage: ProcNetTcpBench DIR CONNECTIONS
 */
public final class ProcNetTcpBench {
  private ProcNetTcpBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    Files.createDirectories(root.resolve("net"));
    Path tcp = root.resolve("net/tcp");
    SplittableRandom r = new SplittableRandom(7);
    int[] pool = new int[5000];
    for (int i = 0; i < pool.length; i++) pool[i] = r.nextInt();
    try (BufferedWriter w = Files.newBufferedWriter(tcp, StandardCharsets.US_ASCII)) {
      w.write("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
      for (int i = 0; i < n; i++) {
        String st = i % 50 == 0 ? "06" : (i % 97 == 0 ? "0A" : "01");
        w.write(String.format("%4d: %08X:%04X %08X:%04X %s 00000000:00000000 00:00000000 00000000  1000        0 %d 1 0000000000000000 20 4 30 10 -1%n",
            i, 0x0100A8C0, 443, pool[r.nextInt(pool.length)], 1024 + (i % 60000), st, 100000 + i));
      }
    }
    ConnectionSource src = new ConnectionSource(new ProcRoot(root), System::nanoTime);
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] parseCpu = new double[21];
    double[] parse = new double[21];
    double[] read = new double[21];
    double[] cat = new double[21];
    Map<String, Double> perIp = null;
    int est = 0;
    for (int run = 0; run < 30 + parse.length; run++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      NetTcpParser.Connections c = src.read();
      perIp = c.perIp();
      long t1 = System.nanoTime();
      long c1 = threads.getCurrentThreadCpuTime();
      byte[] bytes = Files.readAllBytes(tcp);
      long t2 = System.nanoTime();
      Process p = new ProcessBuilder("cat", tcp.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor();
      long t3 = System.nanoTime();
      est = c.established();
      if (run >= 30) {
        int k = run - 30;
        parse[k] = (t1 - t0) / 1e6;
        parseCpu[k] = (c1 - c0) / 1e6;
        read[k] = (t2 - t1) / 1e6;
        cat[k] = (t3 - t2) / 1e6;
      }
      if (bytes.length == 0) throw new IllegalStateException("empty file");
    }
    System.out.printf("connections=%d established=%d distinct_ips=%d bytes=%d%n", n, est, perIp.size(), Files.size(tcp));
    System.out.printf("parse_ms=%.2f (thread cpu %.2f) read_bytes_ms=%.2f cat_ms=%.2f%n", median(parse), median(parseCpu),
        median(read), median(cat));
  }

  static double median(double[] a) {
    double[] c = a.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
