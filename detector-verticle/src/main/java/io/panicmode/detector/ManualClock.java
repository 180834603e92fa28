package io.panicmode.detector;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told: replay runs on the log's own time with it, tests too. Single-threaded. */
public final class ManualClock extends Clock {
  private long millis;

  public ManualClock(long millis) { this.millis = millis; }

  /** Moves to {@code t}; never backwards, so windows see non-decreasing time. */
  public void set(long t) { millis = Math.max(millis, t); }

  @Override public long millis() { return millis; }
  @Override public Instant instant() { return Instant.ofEpochMilli(millis); }
  @Override public ZoneId getZone() { return ZoneOffset.UTC; }
  @Override public Clock withZone(ZoneId zone) { return this; }
}
