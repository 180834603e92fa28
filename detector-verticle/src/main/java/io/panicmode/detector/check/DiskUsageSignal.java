package io.panicmode.detector.check;

import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** Used % per mount point; the rule's {@code paths} select mounts (all when empty). */
public final class DiskUsageSignal implements Signal {
  private final Set<String> mounts;

  public DiskUsageSignal(List<String> paths) { this.mounts = Set.copyOf(paths); }

  @Override
  public void read(MetricsSnapshot snapshot, BiConsumer<String, Double> out) {
    snapshot.series(MetricNames.DISK_USAGE).forEach((mount, v) -> {
      if ((mounts.isEmpty() || mounts.contains(mount)) && v != null && Double.isFinite(v)) out.accept(mount, v);
    });
  }

  @Override
  public Subjects subjects(List<String> keys) { return Subjects.NONE.withMounts(keys); }
}
