package io.panicmode.collector.auth;

import io.panicmode.contracts.AuthEvent;
import io.panicmode.runtime.MetricsRegistry;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Lines in, AuthEvents out: parse, count each failed attempt once ({@link AttemptAccounting}),
 * publish at once (one AuthEvent per failure).
 * Shared by the file followers and the journald follower; synchronized because two log files
 * may be followed by two threads. Publishing is capped at {@value #MAX_EVENTS_PER_SECOND} events
 * per second (the event bus queues without bound on the consumer's side); the excess is dropped
 * and counted. A flood that large has long crossed every threshold.
 */
public final class AuthPipeline {
  private final String host;
  private final SshdLineParser parser;
  private final Consumer<AuthEvent> publish;
  private final LongSupplier now;
  private final MetricsRegistry metrics;
  private final AttemptAccounting accounting;
  private final LongAdder lines;
  private final LongAdder tooLong;
  private final LongAdder duplicates;
  private final LongAdder dropped;
  static final int MAX_EVENTS_PER_SECOND = 20_000;
  private long windowSecond = Long.MIN_VALUE;
  private int windowCount;

  public AuthPipeline(String host, SshdLineParser parser, AuthMode mode, Consumer<AuthEvent> publish, LongSupplier nowMillis,
                      MetricsRegistry metrics) {
    this.host = host;
    this.accounting = new AttemptAccounting(mode);
    this.parser = parser;
    this.publish = publish;
    this.now = nowMillis;
    this.metrics = metrics;
    this.lines = metrics.counter("panicmode_collector_auth_lines_total", "auth log lines / journal entries read");
    this.tooLong = metrics.counter("panicmode_collector_auth_lines_too_long_total",
        "auth lines dropped because they exceed collector.max_line_bytes");
    this.duplicates = metrics.counter("panicmode_collector_auth_duplicates_total",
        "recognised sshd lines not counted: another line of the same attempt or connection counted, or the mode excludes them");
    this.dropped = metrics.counter("panicmode_collector_auth_events_dropped_total",
        "auth events not published because more than " + MAX_EVENTS_PER_SECOND + " arrived in one second");
  }

  public synchronized void syslogLine(byte[] b, int off, int len) {
    lines.increment();
    emit(parser.parseLine(b, off, len));
  }

  public synchronized void journalMessage(byte[] b, int off, int len, long pid, long tsMillis) {
    lines.increment();
    emit(parser.parseMessage(b, off, len, pid, tsMillis));
  }

  public void tooLong() { tooLong.increment(); }

  private void emit(SshdFailure f) {
    if (f == null) return;
    long nowMs = now.getAsLong();
    int n = accounting.failures(f, nowMs);
    if (n == 0) {
      duplicates.increment();
      return;
    }
    if (nowMs / 1000 != windowSecond) {
      windowSecond = nowMs / 1000;
      windowCount = 0;
    }
    long ts = f.tsMillis() >= 0 ? f.tsMillis() : nowMs;
    AuthEvent event = new AuthEvent(host, ts, f.ip(), f.user(), f.kind().wire(), f.port());
    var published = metrics.counter("panicmode_collector_auth_failures_total", "sshd failures published as auth events",
        "kind", f.kind().wire());
    for (int i = 0; i < n; i++) {
      if (++windowCount > MAX_EVENTS_PER_SECOND) {
        dropped.add(n - i);
        return;
      }
      published.increment();
      publish.accept(event);
    }
  }
}
