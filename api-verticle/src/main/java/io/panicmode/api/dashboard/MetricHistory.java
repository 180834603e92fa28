package io.panicmode.api.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded in-memory history of each agent's headline figures, for the dashboard's plots.
 * <p>
 * Time is cut into buckets of {@code stepMillis}; each host keeps at most {@code maxPoints}
 * buckets (oldest dropped first) and at most {@code maxHosts} hosts are kept (the host updated
 * least recently is evicted). A bucket holds the latest value of each figure seen in it and the
 * number of SSH authentication failures counted in it. Samples arrive from heartbeats (every
 * agent) and from the local collector's snapshots, so two sources may fill the same bucket; the
 * later value wins. Times are the api's own receive times, so agents with skewed clocks still
 * line up. Not thread-safe: used from one event loop.
 */
public final class MetricHistory {
  /** The figures kept, in plot order; names are {@link io.panicmode.contracts.MetricNames} gauges. */
  public static final List<String> FIGURES = List.of("cpu_usage", "memory_usage", "load_average", "connections_total");

  /** One bucket. A figure not reported in the bucket is null (a gap in the plot, never a 0). */
  public record Point(long ts, Double[] values, long authFailures) {
    JsonObject toJson() {
      JsonObject o = new JsonObject().put("ts", ts);
      for (int i = 0; i < FIGURES.size(); i++) o.put(FIGURES.get(i), values[i]);
      return o.put("auth_failures", authFailures);
    }
  }

  private static final class Series {
    final ArrayDeque<Point> points = new ArrayDeque<>();
    long touched;
  }

  private final int maxHosts;
  private final int maxPoints;
  private final long stepMillis;
  private final Map<String, Series> hosts = new LinkedHashMap<>();
  private final LongAdder evicted;
  private final LongAdder late;

  /**
   * @param evicted counts hosts dropped to stay within {@code maxHosts}
   * @param late    counts samples dropped because they fell before the host's latest bucket
   */
  public MetricHistory(int maxHosts, int maxPoints, long stepMillis, LongAdder evicted, LongAdder late) {
    if (maxHosts < 1 || maxPoints < 1 || stepMillis < 1) throw new IllegalArgumentException("bounds must be positive");
    this.maxHosts = maxHosts;
    this.maxPoints = maxPoints;
    this.stepMillis = stepMillis;
    this.evicted = evicted;
    this.late = late;
  }

  /**
   * Records the figures of {@code host} found in {@code values} (other keys are ignored; NaN and
   * infinities are treated as missing) at receive time {@code now}.
   *
   * @return the bucket as it stands after the update, or null when {@code now} falls before the
   *         host's latest bucket (a late sample is dropped rather than rewriting history)
   */
  public Point record(String host, long now, Map<String, Double> values) {
    Double[] figures = new Double[FIGURES.size()];
    boolean any = false;
    for (int i = 0; i < figures.length; i++) {
      Double v = values.get(FIGURES.get(i));
      if (v != null && Double.isFinite(v)) {
        figures[i] = v;
        any = true;
      }
    }
    if (!any) return null;
    return update(host, now, figures, 0);
  }

  /** Counts one SSH authentication failure of {@code host} at receive time {@code now}. */
  public Point countAuthFailure(String host, long now) {
    return countAuthFailures(host, now, 1);
  }

  /** Counts {@code n} SSH authentication failures of {@code host} (a remote host's heartbeat reports them in bulk). */
  public Point countAuthFailures(String host, long now, long n) {
    return update(host, now, new Double[FIGURES.size()], n);
  }

  private Point update(String host, long now, Double[] figures, long auth) {
    long bucket = Math.floorDiv(now, stepMillis) * stepMillis;
    Series s = hosts.get(host);
    if (s == null) {
      if (hosts.size() >= maxHosts) evictStalest();
      s = new Series();
      hosts.put(host, s);
    }
    s.touched = now;
    Point last = s.points.peekLast();
    Point next;
    if (last != null && last.ts() == bucket) {
      Double[] merged = last.values().clone();
      for (int i = 0; i < merged.length; i++) if (figures[i] != null) merged[i] = figures[i];
      next = new Point(bucket, merged, last.authFailures() + auth);
      s.points.pollLast();
    } else if (last != null && last.ts() > bucket) {
      late.increment();
      return null;
    } else {
      next = new Point(bucket, figures, auth);
      if (s.points.size() >= maxPoints) s.points.pollFirst();
    }
    s.points.addLast(next);
    return next;
  }

  private void evictStalest() {
    String stalest = null;
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<String, Series> e : hosts.entrySet()) {
      if (e.getValue().touched < oldest) {
        oldest = e.getValue().touched;
        stalest = e.getKey();
      }
    }
    hosts.remove(stalest);
    evicted.increment();
  }

  public List<Point> points(String host) {
    Series s = hosts.get(host);
    return s == null ? List.of() : List.copyOf(s.points);
  }

  public List<String> hosts() { return new ArrayList<>(new TreeSet<>(hosts.keySet())); }

  public long stepMillis() { return stepMillis; }

  /** {@code {"host","stepMillis","figures":[...],"points":[{"ts",<figure>...,"auth_failures"}]}}, oldest first. */
  public JsonObject toJson(String host) {
    JsonArray pts = new JsonArray();
    for (Point p : points(host)) pts.add(p.toJson());
    JsonArray figs = new JsonArray();
    FIGURES.forEach(figs::add);
    figs.add("auth_failures");
    return new JsonObject().put("host", host).put("stepMillis", stepMillis).put("figures", figs).put("points", pts);
  }

  /** The JSON of one bucket, as sent live to the dashboard. */
  public static JsonObject pointJson(String host, Point p) {
    return p.toJson().put("host", host);
  }
}
