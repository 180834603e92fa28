package io.panicmode.detector.check;

import io.panicmode.contracts.MetricNames;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Busy % per block device from the {@code disk_busy} series, so the incident names the device;
 * the rule's {@code paths} select devices (all when empty). When the collector sends only the
 * {@code disk_io} gauge (highest busy % over all disks), that value is read host-wide.
 */
public final class DiskIoSignal implements Signal {
  private final Set<String> devices;

  public DiskIoSignal(List<String> paths) { this.devices = Set.copyOf(paths); }

  @Override
  public void read(MetricsSnapshot snapshot, BiConsumer<String, Double> out) {
    Map<String, Double> busy = snapshot.series(MetricNames.DISK_BUSY);
    if (busy.isEmpty()) {
      Double v = snapshot.gauge(MetricNames.DISK_IO);
      if (v != null && Double.isFinite(v) && devices.isEmpty()) out.accept("", v);
      return;
    }
    busy.forEach((dev, v) -> {
      if ((devices.isEmpty() || devices.contains(dev)) && v != null && Double.isFinite(v)) out.accept(dev, v);
    });
  }

  @Override
  public Subjects subjects(List<String> keys) {
    return keys.equals(List.of("")) ? Subjects.NONE : Subjects.NONE.withDevices(keys);
  }
}
