package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
}
