package io.panicmode.api;

import io.panicmode.config.Durations;
import io.panicmode.contracts.HostId;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageQuery;
import io.panicmode.contracts.net.StrictIp;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Strict parsing of request parameters; every problem is a 400 naming the parameter. */
final class Params {
  private Params() {}

  private static final int MAX_VALUE_CHARS = 256;

  /** One value per allowed name; unknown or repeated names are errors (a typo must not silently widen a query). */
  static Map<String, String> single(MultiMap query, Set<String> allowed) {
    Map<String, String> out = new HashMap<>();
    for (String name : query.names()) {
      if (!allowed.contains(name)) throw new ApiError(400, "unknown query parameter \"" + clip(name) + "\" (allowed: " + allowed + ")");
      var values = query.getAll(name);
      if (values.size() != 1) throw new ApiError(400, name + ": given more than once");
      String v = values.get(0);
      if (v.length() > MAX_VALUE_CHARS) throw new ApiError(400, name + ": too long");
      out.put(name, v);
    }
    return out;
  }

  static String host(String v, String name) {
    if (v == null) return null;
    if (!HostId.isValid(v)) throw new ApiError(400, name + ": invalid host id \"" + clip(v) + "\"");
    return v;
  }

  static Severity severity(String v) {
    if (v == null) return null;
    for (Severity s : Severity.values()) if (s.wire().equals(v)) return s;
    throw new ApiError(400, "severity: expected critical, warning or info, got \"" + clip(v) + "\"");
  }

  static String rule(String v) {
    if (v == null) return null;
    if (v.isEmpty() || v.length() > 128 || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new ApiError(400, "rule: expected 1-128 printable characters");
    }
    return v;
  }

  /** A duration back from now ({@code 1h}, {@code 30m}, {@code 2d}) or an ISO-8601 instant ({@code 2026-11-27T10:00:00Z}). */
  static Long time(String v, String name, long now) {
    if (v == null) return null;
    if (v.indexOf('T') > 0) {
      try {
        return Instant.parse(v).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new ApiError(400, name + ": not an ISO-8601 instant: \"" + clip(v) + "\"");
      }
    }
    Duration ago;
    try {
      ago = Durations.parse(v);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ApiError(400, name + ": expected a duration such as 1h or an ISO-8601 instant, got \"" + clip(v) + "\"");
    }
    // The one range every duration of the config and the API lies in.
    if (ago.isNegative() || ago.compareTo(Durations.MAX) > 0) {
      throw new ApiError(400, name + ": must be between 0s and " + Durations.format(Durations.MAX) + " ago, got \"" + clip(v) + "\"");
    }
    return now - ago.toMillis();
  }

  static int limit(String v) {
    if (v == null) return StorageQuery.DEFAULT_LIMIT;
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= StorageQuery.MAX_LIMIT) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ApiError(400, "limit: expected an integer 1.." + StorageQuery.MAX_LIMIT + ", got \"" + clip(v) + "\"");
  }

  static String cursor(String v) {
    if (v == null) return null;
    if (v.length() > 41 || !v.matches("[0-9]{1,19}\\.[0-9]{1,19}")) throw new ApiError(400, "cursor: malformed");
    return v;
  }

  static String ip(String v, String name) {
    if (v == null) throw new ApiError(400, name + ": missing");
    return StrictIp.canonical(v).orElseThrow(() -> new ApiError(400, name + ": not a plain IPv4 or IPv6 address: \"" + clip(v) + "\""));
  }

  static boolean bool(String v, String name) {
    if (v == null) return false;
    return switch (v) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new ApiError(400, name + ": expected true or false");
    };
  }

  /** Echoes untrusted input back only in a short, printable form. */
  static String clip(String v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length() && sb.length() < 64; i++) {
      char c = v.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (v.length() > 64) sb.append('…');
    return sb.toString();
  }
}
