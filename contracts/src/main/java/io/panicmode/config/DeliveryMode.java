package io.panicmode.config;

import java.util.Locale;

/** How the channels of one {@code alerts.<severity>} list share an alert ({@code alerts.mode.<severity>}). */
public enum DeliveryMode {
  /** In order until one delivers (the original daemon's behaviour). */
  FAILOVER,
  /** To every channel of the list, each with its own retries and breaker. */
  ALL;

  public String wire() { return name().toLowerCase(Locale.ROOT); }
}
