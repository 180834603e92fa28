package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineSplitterTest {
  /** The same stream fed in chunks of every size gives the same lines; the 12-byte line is dropped. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 11, 64})
  void chunkingDoesNotChangeLines(int chunk) {
    byte[] in = "ab\n\ncdefgh\n0123456789AB\nxyz\ntail".getBytes(StandardCharsets.US_ASCII);
    List<String> lines = new ArrayList<>();
    int[] tooLong = {0};
    LineSplitter s = new LineSplitter(10);
    LineSplitter.Sink sink = new LineSplitter.Sink() {
      @Override public void line(byte[] b, int off, int len) { lines.add(new String(b, off, len, StandardCharsets.US_ASCII)); }

      @Override public void tooLong() { tooLong[0]++; }
    };
    for (int i = 0; i < in.length; i += chunk) s.feed(in, i, Math.min(chunk, in.length - i), sink);
    s.finish(sink);
    assertEquals(List.of("ab", "", "cdefgh", "xyz", "tail"), lines);
    assertEquals(1, tooLong[0]);
  }

  /**
   * The eight-bytes-at-a-time newline search agrees with a byte loop for every byte value before
   * the newline (0x8A and 0x0B are the neighbours the bit trick could confuse), at every offset of
   * a word, and when there is no newline at all.
   */
  @Test
  void wordSearchFindsTheFirstNewlineLikeAByteLoop() {
    for (int value = 0; value < 256; value++) {
      if (value == '\n') continue;
      for (int len = 0; len <= 24; len++) {
        for (int nl = -1; nl < len; nl++) {
          byte[] b = new byte[len + 3];
          java.util.Arrays.fill(b, (byte) value);
          if (nl >= 0) b[nl + 1] = '\n';
          if (nl + 2 < b.length) b[b.length - 1] = '\n';
          int expected = 1;
          while (expected < len + 1 && b[expected] != '\n') expected++;
          assertEquals(expected, LineSplitter.newline(b, 1, len + 1), "byte " + value + " len " + len + " newline at " + nl);
        }
      }
    }
  }
}
