package io.panicmode.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock plus an offset a test moves forward: what runs on this clock (breakers,
 * expiries) sees time pass at once, while timestamps stay near now so freshness checks still pass.
 */
public final class SteppedClock extends Clock {
  private volatile long offsetMs;

  public void advance(Duration d) { offsetMs += d.toMillis(); }

  @Override public long millis() { return System.currentTimeMillis() + offsetMs; }
  @Override public Instant instant() { return Instant.ofEpochMilli(millis()); }
  @Override public ZoneId getZone() { return ZoneOffset.UTC; }
  @Override public Clock withZone(ZoneId zone) { return this; }
}
