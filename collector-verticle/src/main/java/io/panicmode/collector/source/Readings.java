package io.panicmode.collector.source;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one source read in one cycle. Not thread-safe: each source fills its own instance, the
 * runner merges them. Non-finite values are refused so NaN never looks like a reading.
 */
public final class Readings {
  final Map<String, Double> gauges = new LinkedHashMap<>();
  final Map<String, Map<String, Double>> series = new LinkedHashMap<>();
  final Map<String, String> unavailable = new LinkedHashMap<>();

  public Readings gauge(String name, double value) {
    if (!Double.isFinite(value)) {
      unavailable.put(name, "not a finite number");
    } else {
      gauges.put(name, value);
    }
    return this;
  }

  public Readings series(String name, String label, double value) {
    if (!Double.isFinite(value)) {
      unavailable.put(labelKey(name, label), "not a finite number");
    } else {
      series.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(label, value);
    }
    return this;
  }

  /** An empty series is still reported (e.g. no established connections), distinct from unavailable. */
  public Readings emptySeries(String name) {
    series.computeIfAbsent(name, k -> new LinkedHashMap<>());
    return this;
  }

  /** Marks a gauge, a series, or one label of a series ({@link #labelKey}) unavailable. */
  public Readings unavailable(String key, String reason) {
    unavailable.put(key, reason == null ? "unknown" : reason);
    return this;
  }

  /**
   * The {@code unavailable} key for one label of a series: {@code <series>:<label>}, e.g.
   * {@code disk_usage:/data} or {@code custom:redis_memory_mb}.
   */
  public static String labelKey(String series, String label) { return series + ":" + label; }

  public Map<String, Double> gauges() { return gauges; }

  public Map<String, Map<String, Double>> series() { return series; }

  public Map<String, String> unavailableMap() { return unavailable; }
}
