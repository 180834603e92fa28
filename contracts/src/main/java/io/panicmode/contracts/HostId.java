package io.panicmode.contracts;

import java.util.regex.Pattern;

/** Host ids name event-bus addresses, so they are restricted to a safe, address-friendly alphabet. */
public final class HostId {
  private HostId() {}

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** The local host name reduced to the allowed alphabet (dots become dashes); "localhost" when unknown. */
  public static String fromHostname(String hostname) {
    if (hostname == null || hostname.isBlank()) return "localhost";
    String cleaned = hostname.trim().replaceAll("[^A-Za-z0-9_-]", "-").replaceAll("^[-_]+", "");
    if (cleaned.length() > 63) cleaned = cleaned.substring(0, 63);
    return isValid(cleaned) ? cleaned : "localhost";
  }
}
