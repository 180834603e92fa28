package io.panicmode.bench.collector;

import com.sun.management.OperatingSystemMXBean;
import io.panicmode.collector.CycleRunner;
import io.panicmode.collector.source.SourceRegistry;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.runtime.MetricsRegistry;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * CPU time of one full collection cycle on this machine (the real /proc, every source of a default
 * config plus one disk_usage rule), measured as this process's CPU time over CYCLES cycles after
 * warm-up. Baselines measured in the same run: the CPU of only reading the /proc files the
 * sources read (most of a cycle is the kernel generating /proc/net/tcp), and the CPU this JVM
 * burns idling for the same wall time.
 * Usage: CycleCpuBench CYCLES
 */
public final class CycleCpuBench {
  private CycleCpuBench() {}

  public static void main(String[] args) throws Exception {
    int cycles = Integer.parseInt(args[0]);
    PanicConfig cfg = ConfigLoader.parse("""
        node:
          id: bench
        performance:
          disk_cache_ttl: 0s
        monitors:
          - name: disk
            type: disk_usage
            threshold: 90
            actions: [alert_warning]
        """, "bench", Map.of());
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    CycleRunner runner = new CycleRunner(SourceRegistry.create(cfg, System::nanoTime, System::currentTimeMillis,
        new MetricsRegistry()), "bench", System::currentTimeMillis, new MetricsRegistry());
    runner.prime();
    MetricsSnapshot last = null;
    for (int i = 0; i < 50; i++) last = runner.runOnce();
    long wall0 = System.nanoTime();
    long cpu0 = os.getProcessCpuTime();
    for (int i = 0; i < cycles; i++) last = runner.runOnce();
    long cpu1 = os.getProcessCpuTime();
    long wall = System.nanoTime() - wall0;
    Thread.sleep(wall / 1_000_000);
    long cpu2 = os.getProcessCpuTime();
    String[] files = {"stat", "meminfo", "loadavg", "diskstats", "net/tcp", "net/tcp6", "mounts", "self/status"};
    long cpu3 = os.getProcessCpuTime();
    for (int i = 0; i < cycles; i++) {
      for (String f : files) {
        java.nio.file.Path p = java.nio.file.Path.of("/proc", f);
        if (java.nio.file.Files.exists(p)) java.nio.file.Files.readAllBytes(p);
      }
    }
    long cpu4 = os.getProcessCpuTime();
    double readFloor = (cpu4 - cpu3) / 1e6 / cycles;
    double perCycle = (cpu1 - cpu0) / 1e6 / cycles;
    double idlePerCycle = (cpu2 - cpu1) / 1e6 / cycles;
    System.out.printf("cycles=%d cpu_ms_per_cycle=%.3f wall_ms_per_cycle=%.3f idle_baseline_cpu_ms_per_cycle=%.3f%n", cycles,
        perCycle, wall / 1e6 / cycles, idlePerCycle);
    System.out.printf("read_only_floor_cpu_ms=%.3f ratio_cycle_over_floor=%.2f%n", readFloor, perCycle / readFloor);
    System.out.printf("cpu_percent_at_5s_interval=%.4f gauges=%d series=%d unavailable=%s%n", perCycle / 5000 * 100,
        last.gauges().size(), last.series().size(), last.unavailable().keySet());
    runner.close();
  }
}
