package io.panicmode.collector.source;

import io.panicmode.collector.files.TreeWatcher;
import io.panicmode.contracts.MetricNames;
import java.util.List;

/**
 * file_events: events per path of the file_monitor rules within {@code file_monitor.aggregation_window}
 * (capped at {@code max_events_per_path}). A missing path is unavailable as
 * {@code file_events:<path>} with the reason, and is watched for.
 */
public final class FileMonitorSource implements MetricSource {
  private final TreeWatcher watcher;

  public FileMonitorSource(TreeWatcher watcher) { this.watcher = watcher; }

  @Override public String name() { return "file_monitor"; }

  @Override public List<String> metrics() { return List.of(MetricNames.FILE_EVENTS); }

  @Override
  public void collect(Readings out) {
    TreeWatcher.Snapshot s = watcher.snapshot();
    out.emptySeries(MetricNames.FILE_EVENTS);
    s.counts().forEach((p, n) -> out.series(MetricNames.FILE_EVENTS, p, n));
    s.missing().forEach(p -> out.unavailable(Readings.labelKey(MetricNames.FILE_EVENTS, p),
        "path does not exist or cannot be watched; checked again every cycle"));
  }

  @Override public void close() { watcher.close(); }
}
