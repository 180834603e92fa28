package io.panicmode.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Per-process counters and gauges, rendered in the Prometheus text format by the api. Every
 * drop, error and queue depth in PanicMode is registered here so it is visible. Names follow
 * Prometheus conventions ({@code panicmode_..._total} for counters). Thread-safe.
 */
public final class MetricsRegistry {
  private record Key(String name, String labels) {}

  private final Map<Key, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<Key, DoubleSupplier> gauges = new ConcurrentHashMap<>();
  private final Map<String, String> help = new ConcurrentHashMap<>();

  /** A counter; {@code labels} alternate name, value: {@code counter("x_total", "help", "rule", "high_cpu")}. */
  public LongAdder counter(String name, String helpText, String... labels) {
    help.putIfAbsent(name, helpText);
    return counters.computeIfAbsent(new Key(name, labels(labels)), k -> new LongAdder());
  }

  /** Registers (or replaces) a gauge read at render time. */
  public void gauge(String name, String helpText, DoubleSupplier value, String... labels) {
    help.putIfAbsent(name, helpText);
    gauges.put(new Key(name, labels(labels)), value);
  }

  public long counterValue(String name, String... labels) {
    LongAdder a = counters.get(new Key(name, labels(labels)));
    return a == null ? 0 : a.sum();
  }

  /** Sum of a counter over all label sets. */
  public long counterTotal(String name) {
    return counters.entrySet().stream().filter(e -> e.getKey().name().equals(name)).mapToLong(e -> e.getValue().sum()).sum();
  }

  public String renderPrometheus() {
    Map<String, StringBuilder> byName = new TreeMap<>();
    counters.forEach((k, v) -> line(byName, k, "counter", String.valueOf(v.sum())));
    gauges.forEach((k, v) -> {
      double d;
      try {
        d = v.getAsDouble();
      } catch (RuntimeException e) {
        return;
      }
      line(byName, k, "gauge", Double.isFinite(d) ? String.valueOf(d) : "NaN");
    });
    StringBuilder out = new StringBuilder();
    byName.values().forEach(out::append);
    return out.toString();
  }

  private void line(Map<String, StringBuilder> byName, Key k, String type, String value) {
    StringBuilder sb = byName.computeIfAbsent(k.name(), n -> new StringBuilder()
        .append("# HELP ").append(n).append(' ').append(help.getOrDefault(n, n)).append('\n')
        .append("# TYPE ").append(n).append(' ').append(type).append('\n'));
    synchronized (sb) {
      sb.append(k.name()).append(k.labels()).append(' ').append(value).append('\n');
    }
  }

  private static String labels(String... kv) {
    if (kv.length == 0) return "";
    if (kv.length % 2 != 0) throw new IllegalArgumentException("labels come in name/value pairs");
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < kv.length; i += 2) {
      if (i > 0) sb.append(',');
      sb.append(kv[i]).append("=\"").append(escape(kv[i + 1])).append('"');
    }
    return sb.append('}').toString();
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
