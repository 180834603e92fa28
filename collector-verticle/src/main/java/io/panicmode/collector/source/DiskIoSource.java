package io.panicmode.collector.source;

import io.panicmode.collector.proc.ProcParsers;
import io.panicmode.collector.proc.ProcParsers.DiskStat;
import io.panicmode.contracts.MetricNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * disk_io (highest busy % over all disks), disk_busy, disk_read_bps and disk_write_bps per device,
 * from /proc/diskstats deltas over the real interval. Busy % is the delta of "milliseconds spent
 * doing I/O" over the elapsed milliseconds. Whole disks only: loop, ram and zram devices and
 * partitions are skipped (a partition's I/O is already in its disk's figures).
 */
public final class DiskIoSource implements MetricSource {
  private final ProcRoot proc;
  private final Path sysBlock;
  private final LongSupplier nanos;
  private Map<String, DiskStat> previous;
  private long previousNanos;

  /** @param sysBlock the sysfs block directory naming whole disks; when absent, device names decide */
  public DiskIoSource(ProcRoot proc, Path sysBlock, LongSupplier nanos) {
    this.proc = proc;
    this.sysBlock = sysBlock;
    this.nanos = nanos;
  }

  @Override public String name() { return "disk_io"; }

  @Override
  public List<String> metrics() {
    return List.of(MetricNames.DISK_IO, MetricNames.DISK_BUSY, MetricNames.DISK_READ_BPS, MetricNames.DISK_WRITE_BPS);
  }

  @Override public void prime() throws Exception {
    previous = read();
    previousNanos = nanos.getAsLong();
  }

  @Override
  public void collect(Readings out) throws Exception {
    Map<String, DiskStat> now = read();
    long t = nanos.getAsLong();
    Map<String, DiskStat> before = previous;
    long dtNanos = t - previousNanos;
    previous = now;
    previousNanos = t;
    if (before == null || dtNanos <= 0) {
      metrics().forEach(m -> out.unavailable(m, "first sample: no interval yet"));
      return;
    }
    double ms = dtNanos / 1e6;
    double max = 0;
    out.emptySeries(MetricNames.DISK_BUSY).emptySeries(MetricNames.DISK_READ_BPS).emptySeries(MetricNames.DISK_WRITE_BPS);
    for (DiskStat d : now.values()) {
      DiskStat b = before.get(d.device());
      if (b == null) continue;
      // Counters wrap or reset when a device is re-added; such an interval says nothing.
      if (d.ioMillis() < b.ioMillis() || d.sectorsRead() < b.sectorsRead() || d.sectorsWritten() < b.sectorsWritten()) continue;
      double busy = Math.min(100.0, 100.0 * (d.ioMillis() - b.ioMillis()) / ms);
      max = Math.max(max, busy);
      out.series(MetricNames.DISK_BUSY, d.device(), busy);
      out.series(MetricNames.DISK_READ_BPS, d.device(), (d.sectorsRead() - b.sectorsRead()) * 512.0 * 1000 / ms);
      out.series(MetricNames.DISK_WRITE_BPS, d.device(), (d.sectorsWritten() - b.sectorsWritten()) * 512.0 * 1000 / ms);
    }
    out.gauge(MetricNames.DISK_IO, max);
  }

  private Map<String, DiskStat> read() throws Exception {
    Map<String, DiskStat> out = new HashMap<>();
    boolean sysfs = sysBlock != null && Files.isDirectory(sysBlock);
    for (DiskStat d : ProcParsers.parseDiskstats(proc.read("diskstats"))) {
      if (isVirtual(d.device())) continue;
      boolean whole = sysfs ? Files.exists(sysBlock.resolve(d.device())) : !looksLikePartition(d.device());
      if (whole) out.put(d.device(), d);
    }
    return out;
  }

  static boolean isVirtual(String dev) {
    return startsWithDigits(dev, "loop") || startsWithDigits(dev, "ram") || startsWithDigits(dev, "zram");
  }

  /**
   * Without sysfs: sdX1 / vdX1 / hdX1 / xvdX1 (letters then digits), or nvme0n1p1 / mmcblk0p1 /
   * md0p1 style (a "p" and digits after a digit).
   */
  static boolean looksLikePartition(String dev) {
    for (String prefix : new String[] {"sd", "vd", "hd", "xvd"}) {
      if (dev.startsWith(prefix)) {
        int i = prefix.length();
        int letters = i;
        while (letters < dev.length() && Character.isLowerCase(dev.charAt(letters))) letters++;
        return letters > i && letters < dev.length() && allDigits(dev, letters);
      }
    }
    int p = dev.lastIndexOf('p');
    return p > 0 && p < dev.length() - 1 && Character.isDigit(dev.charAt(p - 1)) && allDigits(dev, p + 1);
  }

  private static boolean startsWithDigits(String dev, String prefix) {
    return dev.startsWith(prefix) && dev.length() > prefix.length() && allDigits(dev, prefix.length());
  }

  private static boolean allDigits(String s, int from) {
    for (int i = from; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
    return from < s.length();
  }
}
