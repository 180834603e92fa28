package io.panicmode.action.firewall;

/**
 * One ban to apply: a canonical IP (already through {@link IpPolicy}) and when it ends.
 *
 * @param expiresAtMillis epoch milliseconds, or null for a permanent ban
 */
public record Ban(String ip, Long expiresAtMillis) {
  /** Seconds left at {@code nowMillis} (at least 1), or 0 for a permanent ban. */
  public long secondsLeft(long nowMillis) {
    if (expiresAtMillis == null) return 0;
    return Math.max(1, (expiresAtMillis - nowMillis + 999) / 1000);
  }
}
