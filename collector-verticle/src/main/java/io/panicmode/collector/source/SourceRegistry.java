package io.panicmode.collector.source;

import io.panicmode.collector.files.TreeWatcher;
import io.panicmode.config.MonitorRule;
import io.panicmode.config.MonitorType;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.MetricNames;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.selfcheck.SelfSampler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The one list of metric sources: one line per source. auth_failures is not here: it is an event
 * stream (see the auth package), not a value read each cycle.
 */
public final class SourceRegistry {
  private SourceRegistry() {}

  /** Never fails: a source that cannot be set up is registered as an {@link UnavailableSource}. */
  public static List<MetricSource> create(PanicConfig cfg, LongSupplier nanos, LongSupplier millis, MetricsRegistry metrics) {
    Path procPath = Path.of(cfg.collector().procRoot());
    ProcRoot proc = new ProcRoot(procPath);
    List<MetricSource> out = new ArrayList<>();
    out.add(new CpuSource(proc));
    out.add(new MemorySource(proc));
    out.add(new SwapSource(proc));
    out.add(new LoadAverageSource(proc));
    out.add(new ProcessCountSource(proc));
    out.add(new ConnectionSource(proc, nanos));
    out.add(new DiskIoSource(proc, sysBlock(procPath), nanos));
    out.add(new DiskUsageSource(proc, rulePaths(cfg, MonitorType.DISK_USAGE), wantsAllMounts(cfg),
        cfg.collector().diskTimeout(), cfg.performance().diskCacheTtl(), nanos));
    out.add(new SelfSource(new SelfSampler(procPath)));
    if (!cfg.customMetrics().isEmpty()) out.add(new CustomMetricSource(cfg.customMetrics(), nanos));
    List<String> watched = rulePaths(cfg, MonitorType.FILE_MONITOR);
    if (!watched.isEmpty()) {
      try {
        out.add(new FileMonitorSource(new TreeWatcher(watched, cfg.fileMonitor().maxEventsPerPath(),
            cfg.fileMonitor().aggregationWindow().toMillis(), millis,
            metrics.counter("panicmode_collector_file_events_dropped_total", "file events over file_monitor.max_events_per_path"),
            metrics.counter("panicmode_collector_file_watch_skipped_total", "directories not watched (limit or error)"))));
      } catch (IOException e) {
        out.add(new UnavailableSource("file_monitor", List.of(MetricNames.FILE_EVENTS), String.valueOf(e.getMessage())));
      }
    }
    return out;
  }

  /** /sys/block beside the proc root (/proc -> /sys/block); a fixture root without it falls back to device names. */
  static Path sysBlock(Path procRoot) {
    Path parent = procRoot.toAbsolutePath().getParent();
    return parent == null ? null : parent.resolve("sys/block");
  }

  static List<String> rulePaths(PanicConfig cfg, MonitorType type) {
    Set<String> out = new LinkedHashSet<>();
    for (MonitorRule r : cfg.monitors()) if (r.enabled() && r.type() == type) out.addAll(r.paths());
    return new ArrayList<>(out);
  }

  static boolean wantsAllMounts(PanicConfig cfg) {
    boolean any = false;
    for (MonitorRule r : cfg.monitors()) {
      if (!r.enabled() || r.type() != MonitorType.DISK_USAGE) continue;
      any = true;
      if (r.paths().isEmpty()) return true;
    }
    return !any;
  }
}
