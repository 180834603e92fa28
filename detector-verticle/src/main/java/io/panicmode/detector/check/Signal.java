package io.panicmode.detector.check;

import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Where a rule's value comes from in a {@link MetricsSnapshot}: one file per monitor type, listed
 * in {@link Signals}. A signal reports one value per subject (mount, device, path, metric name, or
 * "" for a host-wide gauge) and skips what the snapshot does not carry; it never invents a 0.
 */
public interface Signal {
  void read(MetricsSnapshot snapshot, BiConsumer<String, Double> out);

  /** The structured subjects for the subject keys of an incident. */
  Subjects subjects(List<String> keys);
}
