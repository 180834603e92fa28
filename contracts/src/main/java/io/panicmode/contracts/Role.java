package io.panicmode.contracts;

import java.util.Locale;

/** The stages a PanicMode process can run. Order is start order; stop runs in reverse. */
public enum Role {
  STORAGE, ALERT, ACTION, DETECTOR, COLLECTOR, API;

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  public static Role fromWire(String s) {
    for (Role r : values()) if (r.wire().equals(s)) return r;
    throw new IllegalArgumentException("unknown role \"" + s + "\" (expected one of collector, detector, action, alert, storage, api)");
  }
}
