package io.panicmode.alert.channel;

import java.nio.charset.StandardCharsets;

/** Length limits for channel texts. */
public final class Texts {
  private Texts() {}

  static final String ELLIPSIS = "…";

  /** {@code s} cut to at most {@code max} UTF-16 units, never splitting a surrogate pair, ending in "…" when cut. */
  public static String cut(String s, int max) {
    if (s.length() <= max) return s;
    int end = Math.max(0, max - ELLIPSIS.length());
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) end--;
    return s.substring(0, end) + ELLIPSIS;
  }

  /** {@code s} cut so that its UTF-8 encoding fits in {@code maxBytes}. */
  public static String cutUtf8(String s, int maxBytes) {
    if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) return s;
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > maxBytes - 3) {
        return s.substring(0, i) + ELLIPSIS;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return s;
  }
}
