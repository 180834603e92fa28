package io.panicmode.action.firewall;

import java.time.Duration;

/**
 * How long a ban lasts. Without {@code firewall.ban_duration} bans are permanent (the Rust
 * version's behaviour). With it, the n-th ban of the same IP lasts
 * {@code ban_duration * ban_growth_factor^(n-1)}, capped at {@code ban_max_duration}. A duration
 * named in the command (an operator's choice) replaces the base and is capped the same way.
 */
public record BanPolicy(Duration base, double growthFactor, Duration max) {

  /** Expiry in epoch milliseconds for the {@code count}-th ban starting at {@code now}, or null for permanent. */
  public Long expiresAt(long nowMillis, int count, long requestedSecs) {
    Duration start = requestedSecs > 0 ? Duration.ofSeconds(requestedSecs) : base;
    if (start == null) return null;
    double ms = start.toMillis() * Math.pow(Math.max(1.0, growthFactor), Math.max(0, count - 1));
    long capped = (long) Math.min(ms, (double) max.toMillis());
    return nowMillis + Math.max(1000, capped);
  }
}
