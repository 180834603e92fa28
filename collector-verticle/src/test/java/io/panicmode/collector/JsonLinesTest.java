package io.panicmode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonLinesTest {
  /** Numbers are written by multiply-and-shift below 2^32 and by division above: both edges, both sides. */
  @ParameterizedTest
  @ValueSource(longs = {0, 1, 9, 10, 99, 100, 1_000_000, 2_147_483_647L, 2_147_483_648L, 4_294_967_295L,
      4_294_967_296L, 42_949_672_959L, Long.MAX_VALUE})
  void numbersAreWrittenInDecimal(long v) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonLines rows = new JsonLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    rows.number(v);
    rows.flush();
    assertEquals(Long.toString(v), bytes.toString(StandardCharsets.US_ASCII));
  }

  /** Every value the shift form handles: sampled densely enough to cross each power of ten and 2^31. */
  @ParameterizedTest
  @ValueSource(longs = {7, 13, 65_537, 1_000_003})
  void shiftFormAgreesWithDivisionAcrossTheIntRange(long step) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonLines rows = new JsonLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    StringBuilder expected = new StringBuilder();
    for (long v = 0; v < 0x1_0000_0000L; v += step * (1 + v / 1000)) {
      rows.number(v);
      expected.append(v);
    }
    rows.flush();
    assertEquals(expected.toString(), bytes.toString(StandardCharsets.US_ASCII));
  }
}
