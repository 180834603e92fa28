package io.panicmode.contracts;

import java.util.Locale;

/** Incident severity. Ordered so that {@code CRITICAL} sorts first when handling a batch. */
public enum Severity {
  CRITICAL("Critical"), WARNING("Warning"), INFO("Info");

  private final String display;

  Severity(String display) { this.display = display; }

  /** "Critical", "Warning" or "Info": the form scripts see in {@code PANIC_SEVERITY}. */
  public String display() { return display; }

  /** Wire form: lower case. */
  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static Severity fromWire(String s) {
    for (Severity v : values()) if (v.wire().equals(s)) return v;
    throw new MessageFormatException("severity: expected critical|warning|info, got \"" + s + "\"");
  }
}
