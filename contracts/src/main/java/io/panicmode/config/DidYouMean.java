package io.panicmode.config;

import java.util.Collection;

/** Closest known name to a misspelt one, by edit distance; null when nothing is close. */
final class DidYouMean {
  private DidYouMean() {}

  static String suggest(String given, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(given, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    int allowed = Math.max(2, given.length() / 3);
    return bestDistance <= allowed ? best : null;
  }

  private static int distance(String a, String b) {
    if (a.length() > 200 || b.length() > 200) return Integer.MAX_VALUE;
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
