package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.panicmode.contracts.net.StrictIp;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one dotted-quad check (StrictIp's, on bytes for the sshd parser and on text for everything
 * else) against a reference written the plain way: four parts split on '.', each 1-3 digits,
 * no leading zero, at most 255.
 */
class DottedQuadTest {
  static boolean reference(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return false;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
      if (p.length() > 1 && p.charAt(0) == '0') return false;
      if (Integer.parseInt(p) > 255) return false;
    }
    return true;
  }

  static void agree(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    boolean expected = reference(s);
    assertEquals(expected, StrictIp.isPlainDottedQuad(b, 0, b.length), s);
    assertEquals(expected, StrictIp.canonical(s).map(c -> c.equals(s) && !s.contains(":")).orElse(false), s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..3.4",
      ".1.2.3", "1.2.3.", "1.2.3.04", "1.2.3.0", "1234.1.1.1", "1.2.3.4 ", "a.b.c.d", "999.999.999.999", "10.0.0.1", ""})
  void literalCases(String s) { agree(s); }

  @Test
  void randomCases() {
    SplittableRandom r = new SplittableRandom(1);
    String alphabet = "0123456789.";
    for (int i = 0; i < 20000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + r.nextInt(16);
      for (int k = 0; k < n; k++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      agree(sb.toString());
      agree(r.nextInt(300) + "." + r.nextInt(300) + "." + r.nextInt(300) + "." + r.nextInt(300));
    }
  }
}
