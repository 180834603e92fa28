package io.panicmode.testing;

/** Fixture files write hostile bytes as escapes; shared by every module's fixture-driven tests. */
public final class FixtureText {
  private FixtureText() {}

  /** Undoes the fixture escapes: \\t \\n \\r \\0 \\\\ and \\uXXXX. */
  public static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        sb.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 't' -> sb.append('\t');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case '0' -> sb.append('\0');
        case '\\' -> sb.append('\\');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> throw new IllegalArgumentException("bad escape \\" + n + " in fixture line " + s);
      }
    }
    return sb.toString();
  }
}
