package io.panicmode.api.ctl;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned columns; cells are made safe for a terminal first. */
final class Table {
  private static final int MAX_CELL = 60;
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... header) {
    columns = header.length;
    rows.add(header);
  }

  void row(String... cells) {
    String[] safe = new String[columns];
    for (int i = 0; i < columns; i++) safe[i] = safe(i < cells.length ? cells[i] : "", MAX_CELL);
    rows.add(safe);
  }

  boolean isEmpty() { return rows.size() == 1; }

  String render() {
    int[] width = new int[columns];
    for (String[] r : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r[i].length());
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(r[i]);
        if (i < columns - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /**
   * Text from the daemon may carry attacker input (an incident's description, a ban reason):
   * control characters, escape sequences and bidirectional overrides become {@code ?} so nothing
   * printed can drive the operator's terminal. Long text is cut.
   */
  static String safe(String s, int max) {
    if (s == null) return "";
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max + 1));
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || Character.isSurrogate(c);
      sb.append(control ? '?' : c);
    }
    if (s.length() > max) sb.append('…');
    return sb.toString();
  }

  /** {@code 5m ago}, {@code 3h ago}, {@code in 2d}: the largest whole unit. */
  static String relative(long thenMillis, long nowMillis) {
    long diff = nowMillis - thenMillis;
    String amount = amount(Math.abs(diff) / 1000);
    return diff >= 0 ? amount + " ago" : "in " + amount;
  }

  static String amount(long secs) {
    if (secs < 60) return secs + "s";
    if (secs < 3600) return secs / 60 + "m";
    if (secs < 86_400) return secs / 3600 + "h";
    return secs / 86_400 + "d";
  }
}
