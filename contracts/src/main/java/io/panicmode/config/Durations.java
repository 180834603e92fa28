package io.panicmode.config;

import java.time.Duration;

/**
 * Duration strings of the config: {@code 500ms}, {@code 5s}, {@code 1m}, {@code 2h}, {@code 1d} and
 * compounds such as {@code 1h30m}; a bare number is seconds. Parsing is a single linear pass.
 */
public final class Durations {
  /**
   * The longest duration the config or the API accepts for anything (bans, windows, intervals,
   * timeouts): 365 days. Longer is a typo or an overflow waiting to wrap a deadline negative.
   */
  public static final Duration MAX = Duration.ofDays(365);

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null) throw new IllegalArgumentException("duration is null");
    String s = text.trim();
    if (s.isEmpty()) throw new IllegalArgumentException("empty duration");
    if (s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
      try {
        double secs = Double.parseDouble(s);
        return Duration.ofMillis(Math.round(secs * 1000));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
    }
    long totalMs = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      int start = i;
      while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) i++;
      if (i == start || i - start > 12) throw invalid(text);
      long amount = Long.parseLong(s.substring(start, i));
      int unitStart = i;
      while (i < n && Character.isLetter(s.charAt(i))) i++;
      String unit = s.substring(unitStart, i);
      long factor = switch (unit) {
        case "ms" -> 1L;
        case "s" -> 1000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        case "d" -> 86_400_000L;
        default -> throw invalid(text);
      };
      totalMs = Math.addExact(totalMs, Math.multiplyExact(amount, factor));
    }
    return Duration.ofMillis(totalMs);
  }

  /** The shortest config spelling of a duration, e.g. {@code 90s} → {@code 1m30s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) return "0s";
    StringBuilder sb = new StringBuilder();
    long[] f = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    String[] u = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < f.length; i++) {
      if (ms >= f[i]) {
        sb.append(ms / f[i]).append(u[i]);
        ms %= f[i];
      }
    }
    return sb.toString();
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("invalid duration \"" + text + "\" (use e.g. 500ms, 5s, 1m, 2h, 1d, 1h30m)");
  }
}
