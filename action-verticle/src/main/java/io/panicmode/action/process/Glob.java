package io.panicmode.action.process;

/**
 * Name patterns of mass_freeze.yaml: {@code *} (any run) and {@code ?} (one character), nothing
 * else. Matched without regular expressions (greedy match with one back-track point, so at most
 * name length x pattern length steps, both short: comm is 15 bytes, patterns at most 256), since process
 * names are chosen by the processes themselves.
 */
public final class Glob {
  private Glob() {}

  public static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }
}
