package io.panicmode.runtime;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n (0-based) waits a random time between half and all
 * of {@code min(cap, base * 2^n)}. The random half spreads retries of many alerts that failed
 * together, so a recovering service is not hit by all of them in the same instant.
 */
public record Backoff(Duration base, Duration cap) {
  public Duration delay(int attempt, RandomGenerator random) {
    long capMs = cap.toMillis();
    long ms = base.toMillis();
    for (int i = 0; i < attempt && ms < capMs; i++) ms *= 2;
    ms = Math.min(ms, capMs);
    long half = ms / 2;
    return Duration.ofMillis(half + (half > 0 ? random.nextLong(ms - half + 1) : 0));
  }
}
