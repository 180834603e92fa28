package io.panicmode.bench.detector;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.Incident;
import io.panicmode.detector.DetectorCore;
import io.panicmode.detector.ManualClock;
import io.panicmode.detector.Outputs;
import io.panicmode.detector.claims.Claims;
import io.panicmode.detector.claims.MemoryClaimStore;
import io.panicmode.runtime.MetricsRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Auth events through {@link DetectorCore} on one thread, 100,000 distinct source IPs round-robin
 * (each IP crosses the threshold of 5 once: 100,000 incidents, commands planned), the same
 * with a threshold no IP reaches (counting only), and a spoofed flood of 1,000,000 IPs against the
 * 100,000 cap. Baseline, same events, same run: a naive exact sliding window (see
 * {@link #baseline}). Peak heap over the run from the
 * heap pools' peak usage; the detector's state as the heap a full GC frees once the detector is
 * dropped at the end. One event object per IP is
 * built up front (decoding is the collector's and the event bus's cost, not the detector's); the
 * fake clock moves 2 ms per 1,000 events. Args: [ips] [events].
 */
public final class AuthThroughputBench {
  private AuthThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int ips = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
    long base = 1_700_000_000_000L;
    AuthEvent[] names = events(ips);
    System.out.printf("events=%d distinct_ips=%d cpus=%d max_heap=%dMB%n", n, ips,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    for (int round = 0; round < 2; round++) {
      int m = round == 0 ? n / 5 : n; // the first, shorter round warms the JIT
      double baseline = baseline(names, m, base);
      Result firing = detector(names, m, 5, base);
      Result counting = detector(names, m, 1_000_000, base);
      // Built only now and dropped after, so the other runs' heap figures do not carry it.
      Result spoofed = detector(events(1_000_000), m, 5, base);
      if (round == 0) continue;
      System.out.printf("baseline (naive per-IP deque window):     %,11.0f events/s%n", baseline);
      print("detector, threshold 5 (every IP fires):  ", firing, baseline);
      print("detector, threshold 1e6 (counting only): ", counting, baseline);
      print("detector, 1,000,000 spoofed IPs, cap 1e5:", spoofed, baseline);
      long[] c = firing.crossingNanos.clone();
      java.util.Arrays.sort(c);
      System.out.printf("crossing event -> command built (in core, n=%d): p50=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus%n",
          c.length, c[c.length / 2] / 1e3, c[(int) (c.length * 0.99)] / 1e3, c[(int) (c.length * 0.999)] / 1e3, c[c.length - 1] / 1e3);
    }
  }

  static void print(String what, Result r, double baseline) {
    System.out.printf("%s %,11.0f events/s  ratio %.2f  incidents=%d commands=%d evicted=%d peak_heap=%dMB state_heap=%dMB%n",
        what, r.rate, r.rate / baseline, r.incidents, r.commands, r.evicted, r.peakHeapMb, r.retainedMb);
  }

  static AuthEvent[] events(int n) {
    AuthEvent[] out = new AuthEvent[n];
    for (int i = 0; i < n; i++) {
      String ip = (130 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255) + ".7";
      out[i] = new AuthEvent("bench", 0, ip, "root", "failed_password", 22);
    }
    return out;
  }

  record Result(double rate, long incidents, long commands, long evicted, long peakHeapMb, long retainedMb,
                long[] crossingNanos) {}

  /**
   * The straightforward exact detector the core is compared with: per IP a deque of every failure
   * time in the window (old ones dropped on each event), fire when the count passes 5. No cap,
   * no dedup, no incidents built.
   */
  static double baseline(AuthEvent[] ips, int n, long base) {
    Map<String, ArrayDeque<Long>> windows = new HashMap<>();
    long window = 600_000;
    long t0 = System.nanoTime();
    long over = 0;
    for (int i = 0; i < n; i++) {
      AuthEvent e = ips[i % ips.length];
      long now = base + i / 500;
      ArrayDeque<Long> q = windows.computeIfAbsent(e.ip(), k -> new ArrayDeque<>());
      q.addLast(now);
      while (q.peekFirst() <= now - window) q.pollFirst();
      if (q.size() == 6) over++;
    }
    long dt = System.nanoTime() - t0;
    if (over < 0) System.out.println(over);
    return n / (dt / 1e9);
  }

  static Result detector(AuthEvent[] ips, int n, int threshold, long base) throws Exception {
    PanicConfig cfg = ConfigLoader.parse("""
        node:
          id: bench
        monitors:
          - name: ssh
            type: auth_failures
            threshold: %d
            actions: [block_ip, alert_critical]
        detector:
          max_tracked_subjects: 100000
        """.formatted(threshold), "bench.yaml", Map.of());
    ManualClock clock = new ManualClock(base);
    LongAdder incidents = new LongAdder();
    LongAdder commands = new LongAdder();
    long[] startedAt = {0};
    long[] crossing = new long[ips.length];
    int[] k = {0};
    Outputs sink = new Outputs() {
      @Override public void fired(Incident i, List<ActionCommand> c) {
        // In this (in-memory) setup the command is complete when fired() is called: that is the
        // moment the verticle hands it to the event bus.
        if (k[0] < crossing.length) crossing[k[0]++] = System.nanoTime() - startedAt[0];
        incidents.increment();
        commands.add(c.size());
      }
      @Override public void alert(Incident i) { }
      @Override public void resolved(Incident i, boolean alert) { }
    };
    Claims claims = new Claims(new MemoryClaimStore(clock::millis), 100_000, new LongAdder());
    MetricsRegistry metrics = new MetricsRegistry();
    DetectorCore core = new DetectorCore(cfg, "bench", clock, claims, sink, metrics);
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    long t0 = System.nanoTime();
    long nextTick = base + 1000;
    for (int i = 0; i < n; i++) {
      AuthEvent e = ips[i % ips.length];
      long ts = base + i / 500;
      clock.set(ts);
      if (ts >= nextTick) {
        core.tick();
        nextTick += 1000;
      }
      startedAt[0] = System.nanoTime();
      core.onAuth(e);
    }
    long dt = System.nanoTime() - t0;
    long peak = 0;
    for (MemoryPoolMXBean p : heap) peak += p.getPeakUsage().getUsed();
    System.gc();
    long withCore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    if (core.tracked() < 0) System.out.println(); // keeps the core reachable until here
    long evicted = metrics.counterTotal("panicmode_detector_evictions_total");
    core = null; // the registry's gauges point at the core too
    claims = null;
    metrics = null;
    System.gc();
    long retained = withCore - (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
    return new Result(n / (dt / 1e9), incidents.sum(), commands.sum(),
        evicted, peak >> 20, retained >> 20,
        java.util.Arrays.copyOf(crossing, k[0]));
  }
}
