package io.panicmode.collector.source;

import java.util.List;

/**
 * Stands in for a source that could not be set up (no inotify instance left, no temp directory):
 * the collector still starts, and every cycle reports that source's metrics unavailable with the
 * setup error. Restarting the collector retries the setup.
 */
public final class UnavailableSource implements MetricSource {
  private final String name;
  private final List<String> metrics;
  private final String reason;

  public UnavailableSource(String name, List<String> metrics, String reason) {
    this.name = name;
    this.metrics = List.copyOf(metrics);
    this.reason = reason;
  }

  @Override public String name() { return name; }

  @Override public List<String> metrics() { return metrics; }

  @Override
  public void collect(Readings out) {
    throw new IllegalStateException("could not be set up: " + reason);
  }
}
