package io.panicmode.config;

import java.util.Locale;

/** How a custom metric command's stdout becomes a number. */
public enum OutputFormat {
  /** stdout parsed as one number. */
  NUMBER,
  /** stdout is {@code {"value": N}}. */
  JSON,
  /** the number of non-empty lines. */
  TEXT;

  public String wire() { return name().toLowerCase(Locale.ROOT); }
}
