package io.panicmode.contracts;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One collection cycle of one host, published on {@link Addresses#metrics(String)}.
 *
 * @param gauges      single values by {@link MetricNames} gauge name
 * @param series      labelled values by series name, then label
 * @param unavailable metrics that could not be read this cycle, with the reason; a metric
 *                    listed here is absent from gauges/series, never reported as 0
 */
public record MetricsSnapshot(String host, long ts, Map<String, Double> gauges,
                              Map<String, Map<String, Double>> series, Map<String, String> unavailable) {
  public static final int VERSION = 1;

  public MetricsSnapshot {
    if (!HostId.isValid(host)) throw new MessageFormatException("MetricsSnapshot.host: invalid host id " + host);
    gauges = Map.copyOf(gauges);
    Map<String, Map<String, Double>> s = new LinkedHashMap<>();
    series.forEach((k, v) -> s.put(k, Map.copyOf(v)));
    series = Map.copyOf(s);
    unavailable = Map.copyOf(unavailable);
  }

  public Double gauge(String name) { return gauges.get(name); }

  public Map<String, Double> series(String name) { return series.getOrDefault(name, Map.of()); }

  public JsonObject toJson() {
    JsonObject s = new JsonObject();
    series.forEach((k, v) -> s.put(k, new JsonObject(new LinkedHashMap<>(v))));
    return new JsonObject().put("v", VERSION).put("host", host).put("ts", ts)
        .put("gauges", new JsonObject(new LinkedHashMap<>(gauges)))
        .put("series", s)
        .put("unavailable", new JsonObject(new LinkedHashMap<>(unavailable)));
  }

  public static MetricsSnapshot fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "MetricsSnapshot").version(VERSION);
    JsonObject s = f.obj("series");
    Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    JsonFields sf = JsonFields.of(s, "MetricsSnapshot.series");
    for (String k : s.fieldNames()) series.put(k, sf.numberMap(k));
    MetricsSnapshot m = new MetricsSnapshot(f.str("host"), f.lng("ts"), f.numberMap("gauges"), series,
        f.stringMap("unavailable"));
    f.done();
    return m;
  }
}
