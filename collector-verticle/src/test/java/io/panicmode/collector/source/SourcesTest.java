package io.panicmode.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.MetricNames;
import io.panicmode.testing.Await;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every /proc source through a configurable proc root: the fixture snapshot t0 is copied in and
 * primed, then t1 is copied over it and read, one second later on a fake clock.
 */
class SourcesTest {
  @TempDir Path root;
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  ProcRoot proc;

  @BeforeEach
  void setUp() throws Exception {
    proc = new ProcRoot(root);
    copy("t0");
    for (String pid : List.of("1", "22", "333", "4444")) Files.createDirectory(root.resolve(pid));
    for (String other : List.of("self", "sys", "1a")) Files.createDirectories(root.resolve(other));
  }

  void copy(String snapshot) throws IOException, URISyntaxException {
    Path src = Path.of(SourcesTest.class.getResource("/proc/" + snapshot).toURI());
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path dst = root.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(dst);
        else Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  Readings twoSamples(MetricSource s) throws Exception {
    s.prime();
    copy("t1");
    nanos.addAndGet(1_000_000_000L);
    Readings r = new Readings();
    s.collect(r);
    return r;
  }

  @Test
  void cpuTotalAndPerCoreOverTheRealInterval() throws Exception {
    Readings r = twoSamples(new CpuSource(proc));
    assertEquals(800.0 / 1500 * 100, r.gauges().get(MetricNames.CPU_USAGE), 1e-9);
    assertEquals(Map.of("0", 100.0, "1", 0.0), r.series().get(MetricNames.CPU_CORE));
  }

  @Test
  void cpuFirstSampleWithoutPrimeIsUnavailableNotZero() throws Exception {
    Readings r = new Readings();
    new CpuSource(proc).collect(r);
    assertFalse(r.gauges().containsKey(MetricNames.CPU_USAGE));
    assertTrue(r.unavailableMap().containsKey(MetricNames.CPU_USAGE));
  }

  @Test
  void cpuWithoutAClockTickBetweenReadsSaysSo() throws Exception {
    CpuSource s = new CpuSource(proc);
    s.prime();
    Readings r = new Readings();
    s.collect(r);
    assertTrue(r.unavailableMap().get(MetricNames.CPU_USAGE).contains("no clock tick"));
    assertTrue(r.unavailableMap().get("cpu_core:0").contains("no clock tick"));
  }

  @Test
  void memorySwapLoadAndProcesses() throws Exception {
    Readings r = new Readings();
    new MemorySource(proc).collect(r);
    new SwapSource(proc).collect(r);
    new LoadAverageSource(proc).collect(r);
    new ProcessCountSource(proc).collect(r);
    assertEquals(75.0, r.gauges().get(MetricNames.MEMORY_USAGE), 1e-9);
    assertEquals(25.0, r.gauges().get(MetricNames.SWAP_USAGE), 1e-9);
    assertEquals(1.5, r.gauges().get(MetricNames.LOAD_AVERAGE));
    assertEquals(0.75, r.gauges().get(MetricNames.LOAD_AVERAGE_5));
    assertEquals(0.3, r.gauges().get(MetricNames.LOAD_AVERAGE_15));
    assertEquals(4.0, r.gauges().get(MetricNames.PROCESS_COUNT));
  }

  @Test
  void diskIoSkipsPartitionsLoopAndZram() throws Exception {
    Readings r = twoSamples(new DiskIoSource(proc, root.resolve("no-sysfs"), nanos::get));
    assertEquals(Map.of("sda", 25.0, "nvme0n1", 90.0, "dm-0", 10.0), r.series().get(MetricNames.DISK_BUSY));
    assertEquals(90.0, r.gauges().get(MetricNames.DISK_IO));
    assertEquals(1048576.0, r.series().get(MetricNames.DISK_READ_BPS).get("sda"));
    assertEquals(2097152.0, r.series().get(MetricNames.DISK_WRITE_BPS).get("nvme0n1"));
  }

  @Test
  void diskIoUsesSysfsWhenPresent() throws Exception {
    Path sys = Files.createDirectories(root.resolve("sysblock"));
    Files.createDirectory(sys.resolve("nvme0n1"));
    Readings r = twoSamples(new DiskIoSource(proc, sys, nanos::get));
    assertEquals(Map.of("nvme0n1", 90.0), r.series().get(MetricNames.DISK_BUSY));
  }

  @Test
  void partitionNames() {
    for (String p : List.of("sda1", "vdb12", "xvda3", "nvme0n1p1", "mmcblk0p2", "md0p1")) {
      assertTrue(DiskIoSource.looksLikePartition(p), p);
    }
    for (String d : List.of("sda", "vdb", "nvme0n1", "mmcblk0", "dm-0", "md0", "sr0")) {
      assertFalse(DiskIoSource.looksLikePartition(d), d);
    }
    assertTrue(DiskIoSource.isVirtual("loop12") && DiskIoSource.isVirtual("zram0") && DiskIoSource.isVirtual("ram3"));
    assertFalse(DiskIoSource.isVirtual("loopy"));
  }

  @Test
  void connectionsPerIpTotalAndRate() throws Exception {
    ConnectionSource s = new ConnectionSource(proc, nanos::get);
    Readings r = twoSamples(s);
    assertEquals(Map.of("203.0.113.5", 4.0, "203.0.113.6", 2.0, "127.0.0.1", 1.0, "2001:db8::1", 2.0),
        r.series().get(MetricNames.CONNECTIONS_PER_IP));
    assertEquals(9.0, r.gauges().get(MetricNames.CONNECTIONS_TOTAL));
    // Two sockets are ESTABLISHED now that were not a second ago; a closed one does not count.
    assertEquals(2.0, r.gauges().get(MetricNames.CONNECTION_RATE), 1e-9);
  }

  @Test
  void missingTcp6IsNotAnError() throws Exception {
    Files.delete(root.resolve("net/tcp6"));
    Readings r = new Readings();
    new ConnectionSource(proc, nanos::get).collect(r);
    assertEquals(Map.of("203.0.113.5", 3.0, "198.51.100.7", 1.0, "127.0.0.1", 1.0), r.series().get(MetricNames.CONNECTIONS_PER_IP));
  }

  @Test
  void realMountsSkipPseudoAndSquashfs() throws Exception {
    var mounts = io.panicmode.collector.proc.ProcParsers.parseMounts(proc.read("mounts"));
    assertEquals(List.of("/", "/data", "/mnt/nfs", "/mnt/my disk", "/var/lib/docker"), DiskUsageSource.realMounts(mounts));
  }

  @Test
  void diskUsageOfNamedPathsAndMissingOneIsUnavailable() throws Exception {
    Path data = Files.createDirectory(root.resolve("data"));
    DiskUsageSource s = new DiskUsageSource(proc, List.of(data.toString(), "/no/such/mount"), false, Duration.ofSeconds(2),
        Duration.ofSeconds(5), nanos::get);
    Readings r = new Readings();
    s.collect(r);
    double pct = r.series().get(MetricNames.DISK_USAGE).get(data.toString());
    assertTrue(pct >= 0 && pct <= 100, "percent " + pct);
    assertTrue(r.unavailableMap().get("disk_usage:/no/such/mount").contains("no such path"));
    s.close();
  }

  @Test
  void diskUsageIsCachedForTheTtl() throws Exception {
    Path data = Files.createDirectory(root.resolve("data"));
    DiskUsageSource s = new DiskUsageSource(proc, List.of(data.toString()), false, Duration.ofSeconds(2), Duration.ofSeconds(5),
        nanos::get);
    s.collect(new Readings());
    Files.delete(data);
    Readings cached = new Readings();
    s.collect(cached);
    assertTrue(cached.series().get(MetricNames.DISK_USAGE).containsKey(data.toString()), "served from cache");
    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    Readings fresh = new Readings();
    s.collect(fresh);
    assertTrue(fresh.unavailableMap().containsKey("disk_usage:" + data), "probed again after the TTL");
    s.close();
  }

  @Test
  void aHungMountIsTimeBoundedAndNotProbedAgainUntilItReturns() throws Exception {
    java.util.concurrent.CountDownLatch nfsBack = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger nfsProbes = new java.util.concurrent.atomic.AtomicInteger();
    DiskUsageSource s = new DiskUsageSource(proc, List.of("/", "/mnt/nfs"), false, Duration.ofMillis(200), Duration.ZERO,
        nanos::get, m -> {
          if (!m.equals("/mnt/nfs")) return 42.0;
          nfsProbes.incrementAndGet();
          try {
            nfsBack.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return 7.0;
        });
    // The probe of /mnt/nfs never returns until the latch opens below: collect returning at all
    // shows it is bounded by disk_timeout.
    Readings first = new Readings();
    s.collect(first);
    assertEquals(Map.of("/", 42.0), first.series().get(MetricNames.DISK_USAGE));
    assertTrue(first.unavailableMap().get("disk_usage:/mnt/nfs").contains("did not answer within 200 ms"));
    Readings second = new Readings();
    s.collect(second);
    assertTrue(second.unavailableMap().get("disk_usage:/mnt/nfs").contains("stuck"));
    assertEquals(1, nfsProbes.get(), "the stuck probe is not started a second time");
    nfsBack.countDown();
    // The mount answers again: a later cycle has its value once the stuck probe has finished.
    Double value = Await.value("a value for /mnt/nfs", () -> {
      Readings later = new Readings();
      s.collect(later);
      var disk = later.series().get(MetricNames.DISK_USAGE);
      return disk == null ? null : disk.get("/mnt/nfs");
    }, v -> v != null);
    assertEquals(7.0, value);
    s.close();
  }
}
