package io.panicmode.collector;

import io.panicmode.collector.source.MetricSource;
import io.panicmode.collector.source.Readings;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.runtime.MetricsRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every source once per cycle, in parallel, each on its own worker thread and bounded by the
 * source's budget, and merges what came back into one MetricsSnapshot. The cross-cutting rules
 * live here, not in the sources: a source that throws or overruns is reported unavailable (all its
 * metric names, with the reason) and counted; a source still stuck from an earlier cycle is not
 * started again (at most one thread per source is ever blocked); the others go on.
 */
public final class CycleRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CycleRunner.class);

  private final List<MetricSource> sources;
  private final Map<MetricSource, AtomicBoolean> busy = new LinkedHashMap<>();
  private final String host;
  private final LongSupplier millis;
  private final MetricsRegistry metrics;
  private final ExecutorService workers;

  public CycleRunner(List<MetricSource> sources, String host, LongSupplier millis, MetricsRegistry metrics) {
    this.sources = List.copyOf(sources);
    this.host = host;
    this.millis = millis;
    this.metrics = metrics;
    sources.forEach(s -> busy.put(s, new AtomicBoolean()));
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "panicmode-collector-source");
      t.setDaemon(true);
      return t;
    });
  }

  public List<MetricSource> sources() { return sources; }

  /** First samples for delta-based sources; a failure here shows again, with its reason, in the first cycle. */
  public void prime() {
    for (MetricSource s : sources) {
      try {
        s.prime();
      } catch (Exception e) {
        log.debug("priming {} failed: {}", s.name(), e.toString());
      }
    }
  }

  /** One cycle; blocks for at most the largest source budget. */
  public MetricsSnapshot runOnce() {
    long ts = millis.getAsLong();
    Map<String, Double> gauges = new LinkedHashMap<>();
    Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    Map<String, String> unavailable = new LinkedHashMap<>();
    List<Object[]> started = new ArrayList<>();
    long t0 = System.nanoTime();
    for (MetricSource s : sources) {
      AtomicBoolean flag = busy.get(s);
      if (!flag.compareAndSet(false, true)) {
        fail(s, "an earlier collection is still running (stuck)", unavailable);
        continue;
      }
      Readings r = new Readings();
      Future<?> f = workers.submit(() -> {
        try {
          s.collect(r);
          return null;
        } finally {
          flag.set(false);
        }
      });
      started.add(new Object[] {s, r, f});
    }
    for (Object[] st : started) {
      MetricSource s = (MetricSource) st[0];
      Readings r = (Readings) st[1];
      Future<?> f = (Future<?>) st[2];
      long deadline = t0 + s.budget().toNanos();
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        gauges.putAll(r.gauges());
        r.series().forEach((k, v) -> series.computeIfAbsent(k, x -> new LinkedHashMap<>()).putAll(v));
        unavailable.putAll(r.unavailableMap());
      } catch (TimeoutException e) {
        metrics.counter("panicmode_collector_source_timeouts_total", "sources that overran their budget", "source", s.name()).increment();
        fail(s, "no answer within " + s.budget().toMillis() + " ms", unavailable);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        fail(s, c.getClass().getSimpleName() + ": " + c.getMessage(), unavailable);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(s, "collection interrupted", unavailable);
      }
    }
    // A whole metric reported unavailable is never also present with a value.
    unavailable.keySet().forEach(k -> {
      gauges.remove(k);
      series.remove(k);
    });
    metrics.counter("panicmode_collector_cycles_total", "collection cycles completed").increment();
    return new MetricsSnapshot(host, ts, gauges, series, unavailable);
  }

  private void fail(MetricSource s, String reason, Map<String, String> unavailable) {
    metrics.counter("panicmode_collector_source_errors_total", "source failures (metric reported unavailable)", "source", s.name())
        .increment();
    for (String m : s.metrics()) unavailable.put(m, s.name() + ": " + reason);
  }

  @Override
  public void close() {
    for (MetricSource s : sources) {
      try {
        s.close();
      } catch (RuntimeException e) {
        log.debug("closing {}: {}", s.name(), e.toString());
      }
    }
    workers.shutdownNow();
  }
}
