package io.panicmode.collector.source;

import io.panicmode.collector.proc.ProcParsers;
import io.panicmode.collector.proc.ProcParsers.Mount;
import io.panicmode.contracts.MetricNames;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * disk_usage: used % per mount point, df-style: used / (used + available to unprivileged users).
 * Mounts are the paths named by disk_usage rules and, when there is no disk_usage rule or one
 * without paths, every real mount of {@code <proc root>/mounts} (block devices, network and ZFS/btrfs file systems, and "/"; never
 * pseudo file systems or read-only squashfs images, which are always full).
 *
 * <p>A hung mount (dead NFS server) cannot hang the collector: each mount is probed on its own
 * thread and waited for at most {@code collector.disk_timeout}; a probe still stuck is not
 * started again until it returns, and its mount is reported unavailable meanwhile. Results are
 * reused for {@code performance.disk_cache_ttl}.
 */
public final class DiskUsageSource implements MetricSource {
  private static final Set<String> NETWORK_OR_POOL = Set.of("nfs", "nfs4", "cifs", "smb3", "ceph", "glusterfs",
      "fuse.sshfs", "zfs", "btrfs");
  private static final int MAX_PROBE_THREADS = 16;

  private final ProcRoot proc;
  private final List<String> configuredPaths;
  private final boolean allMounts;
  private final Duration timeout;
  private final Duration cacheTtl;
  private final LongSupplier nanos;
  private final Set<String> stuck = ConcurrentHashMap.newKeySet();
  private final ExecutorService probes;
  private final ToDoubleFunction<String> probe;
  private Map<String, Double> cached = Map.of();
  private Map<String, String> cachedUnavailable = Map.of();
  private long cachedAt;
  private boolean haveCache;

  /**
   * @param paths     mount points named by disk_usage rules
   * @param allMounts also every real mount (no rule, or a rule without paths)
   */
  public DiskUsageSource(ProcRoot proc, List<String> paths, boolean allMounts, Duration timeout, Duration cacheTtl,
                         LongSupplier nanos) {
    this(proc, paths, allMounts, timeout, cacheTtl, nanos, DiskUsageSource::usedPercent);
  }

  /** @param probe used % of one mount; blocking (tests pass one that hangs) */
  DiskUsageSource(ProcRoot proc, List<String> paths, boolean allMounts, Duration timeout, Duration cacheTtl,
                  LongSupplier nanos, ToDoubleFunction<String> probe) {
    this.probe = probe;
    this.proc = proc;
    this.configuredPaths = List.copyOf(paths);
    this.allMounts = allMounts;
    this.timeout = timeout;
    this.cacheTtl = cacheTtl;
    this.nanos = nanos;
    ThreadPoolExecutor ex = new ThreadPoolExecutor(0, MAX_PROBE_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "panicmode-disk-probe");
      t.setDaemon(true);
      return t;
    });
    this.probes = ex;
  }

  @Override public String name() { return "disk_usage"; }

  @Override public List<String> metrics() { return List.of(MetricNames.DISK_USAGE); }

  @Override public Duration budget() { return timeout.plusSeconds(1); }

  @Override
  public void collect(Readings out) throws Exception {
    long now = nanos.getAsLong();
    if (!haveCache || now - cachedAt >= cacheTtl.toNanos()) {
      probeAll();
      cachedAt = now;
      haveCache = true;
    }
    out.emptySeries(MetricNames.DISK_USAGE);
    cached.forEach((m, v) -> out.series(MetricNames.DISK_USAGE, m, v));
    cachedUnavailable.forEach((m, why) -> out.unavailable(Readings.labelKey(MetricNames.DISK_USAGE, m), why));
  }

  private void probeAll() throws Exception {
    Set<String> mounts = new LinkedHashSet<>();
    if (allMounts) mounts.addAll(realMounts(ProcParsers.parseMounts(proc.read("mounts"))));
    mounts.addAll(configuredPaths);
    Map<String, Future<Double>> running = new LinkedHashMap<>();
    Map<String, Double> values = new LinkedHashMap<>();
    Map<String, String> unavailable = new LinkedHashMap<>();
    for (String m : mounts) {
      if (stuck.contains(m)) {
        unavailable.put(m, "an earlier probe has been stuck for more than " + timeout.toMillis() + " ms (hung mount?)");
        continue;
      }
      stuck.add(m);
      try {
        running.put(m, probes.submit(() -> {
          try {
            return probe.applyAsDouble(m);
          } finally {
            stuck.remove(m);
          }
        }));
      } catch (RejectedExecutionException e) {
        stuck.remove(m);
        unavailable.put(m, "all " + MAX_PROBE_THREADS + " probe threads are stuck");
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<String, Future<Double>> e : running.entrySet()) {
      try {
        values.put(e.getKey(), e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException te) {
        unavailable.put(e.getKey(), "statfs did not answer within " + timeout.toMillis() + " ms (hung mount?)");
      } catch (java.util.concurrent.ExecutionException ee) {
        unavailable.put(e.getKey(), String.valueOf(ee.getCause().getMessage()));
      }
    }
    cached = values;
    cachedUnavailable = unavailable;
  }

  /** The probe itself; runs on a probe thread because statfs on a dead network mount blocks. */
  static double usedPercent(String mount) {
    File f = new File(mount);
    if (!f.exists()) throw new IllegalStateException("no such path: " + mount);
    long total = f.getTotalSpace();
    long free = f.getFreeSpace();
    long usable = f.getUsableSpace();
    if (total <= 0) throw new IllegalStateException("statfs failed or reports no blocks: " + mount);
    long used = total - free;
    long denom = used + usable;
    return denom <= 0 ? 0.0 : Math.min(100.0, 100.0 * used / denom);
  }

  static List<String> realMounts(List<Mount> mounts) {
    Set<String> out = new LinkedHashSet<>();
    for (Mount m : mounts) {
      boolean real = m.mountPoint().equals("/")
          || NETWORK_OR_POOL.contains(m.fsType())
          || (m.device().startsWith("/") && !m.fsType().equals("squashfs"));
      if (real) out.add(m.mountPoint());
    }
    return new ArrayList<>(out);
  }

  @Override public void close() { probes.shutdownNow(); }
}
