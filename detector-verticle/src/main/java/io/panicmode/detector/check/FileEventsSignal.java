package io.panicmode.detector.check;

import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * File events per watched path from the {@code file_events} series, which the collector counts
 * over {@code file_monitor.aggregation_window}. The rule's {@code paths} select watched paths
 * (equal, or below one of them). When the rule's {@code window} is longer than the aggregation
 * window, the value is the largest count seen during that window, so a burst keeps the rule
 * firing for the whole window (the collector's counts are not additive across snapshots).
 */
public final class FileEventsSignal implements Signal {
  private final List<String> paths;
  private final long windowMs;
  private final long aggregationMs;
  private final Map<String, ArrayDeque<long[]>> recent = new HashMap<>();

  public FileEventsSignal(List<String> paths, long windowMs, long aggregationMs) {
    this.paths = List.copyOf(paths);
    this.windowMs = windowMs;
    this.aggregationMs = aggregationMs;
  }

  @Override
  public void read(MetricsSnapshot snapshot, BiConsumer<String, Double> out) {
    snapshot.series(MetricNames.FILE_EVENTS).forEach((path, v) -> {
      if (v == null || !Double.isFinite(v) || !selected(path)) return;
      out.accept(path, windowMs > aggregationMs ? heldMax(path, snapshot.ts(), v) : v);
    });
  }

  private double heldMax(String path, long ts, double v) {
    ArrayDeque<long[]> q = recent.computeIfAbsent(path, k -> new ArrayDeque<>());
    while (!q.isEmpty() && q.peekFirst()[0] <= ts - windowMs) q.pollFirst();
    // Keep only readings that can still be the maximum: a monotone deque, linear overall.
    long bits = Double.doubleToLongBits(v);
    while (!q.isEmpty() && Double.longBitsToDouble(q.peekLast()[1]) <= v) q.pollLast();
    q.addLast(new long[] {ts, bits});
    return Double.longBitsToDouble(q.peekFirst()[1]);
  }

  private boolean selected(String path) {
    for (String p : paths) {
      if (path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/")) return true;
    }
    return false;
  }

  @Override
  public Subjects subjects(List<String> keys) { return Subjects.NONE.withPaths(keys); }
}
