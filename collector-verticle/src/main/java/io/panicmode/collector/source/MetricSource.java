package io.panicmode.collector.source;

import java.time.Duration;
import java.util.List;

/**
 * One metric source of the collector (one monitor type, or a few gauges read from the same file).
 *
 * <p>Obligations: {@link #collect} runs on a worker thread, never on the event loop, and may block
 * up to {@link #budget()}; the runner stops waiting after that and reports every name of
 * {@link #metrics()} unavailable, and does not start the source again until the stuck call
 * returns. A thrown exception makes the whole source unavailable for this cycle with the
 * exception's message as the reason; a failure of one label only (one mount, one custom metric)
 * goes to {@link Readings#unavailable}. A source never reports a made-up 0 for a value it could
 * not read. Sources keep their own state between cycles (previous counters for deltas) and are
 * called by one thread at a time.
 */
public interface MetricSource {
  /** Short id, used in logs, the error counter label and the unavailable reasons. */
  String name();

  /** Gauge and series names this source fills (see MetricNames). */
  List<String> metrics();

  /** Reads once; the real interval since the previous call is the source's own business. */
  void collect(Readings out) throws Exception;

  /** Takes the first sample of a delta-based source so the first published cycle has a real interval. */
  default void prime() throws Exception {}

  /** How long the runner waits for one {@link #collect}. */
  default Duration budget() { return Duration.ofSeconds(2); }

  /** Releases threads, watches and child processes. */
  default void close() {}
}
