package io.panicmode.action.firewall;

import java.util.List;

/**
 * A backend could not apply a change. {@code retryable} is false when trying again cannot help
 * (missing script, bad configuration). {@code failedIps} names the IPs that were not changed when
 * the others were (scripts run per IP); empty means none of them was changed.
 */
public final class FirewallException extends Exception {
  private final boolean retryable;
  private final List<String> failedIps;

  public FirewallException(String message, boolean retryable) {
    this(message, retryable, List.of());
  }

  public FirewallException(String message, boolean retryable, List<String> failedIps) {
    super(message);
    this.retryable = retryable;
    this.failedIps = List.copyOf(failedIps);
  }

  public boolean retryable() { return retryable; }

  public List<String> failedIps() { return failedIps; }
}
