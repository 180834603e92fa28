package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sshd corpus (src/test/resources/sshd-corpus.jsonl): every line with its expected result,
 * among them the hostile ones. A line is given as "line" (text), "line_b64" (raw bytes, for
 * invalid UTF-8) or "prefix" + "repeat" x "times" + "suffix" (huge lines). "expect" is null (no
 * failure) or kind/ip/user/port; a null user means "not checked" (megabyte-long names).
 */
class SshdCorpusTest {
  private static final SshdLineParser PARSER = SshdLineParser.forYear(ZoneOffset.UTC, 2026);

  static Stream<Arguments> corpus() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = SshdCorpusTest.class.getResourceAsStream("/sshd-corpus.jsonl")) {
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int n = 0;
      for (String l : all.split("\n")) {
        if (l.isBlank()) continue;
        n++;
        JsonObject c = new JsonObject(l);
        out.add(Arguments.of(n, c.getString("note"), c));
      }
    }
    return out.stream();
  }

  static byte[] bytes(JsonObject c) {
    if (c.getString("line") != null) return c.getString("line").getBytes(StandardCharsets.UTF_8);
    if (c.getString("line_b64") != null) return Base64.getDecoder().decode(c.getString("line_b64"));
    String s = c.getString("prefix") + c.getString("repeat").repeat(c.getInteger("times")) + c.getString("suffix");
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("corpus")
  void eachLineYieldsExactlyTheExpectedIpOrNothing(int n, String note, JsonObject c) {
    // Speed is not asserted here (a wall-clock bound fails on a loaded machine, not on a slow
    // parser); costGrowsLinearlyWithLength below checks the cost's shape in thread CPU time.
    byte[] b = bytes(c);
    SshdFailure f = PARSER.parseLine(b, 0, b.length);
    JsonObject e = c.getJsonObject("expect");
    if (e == null) {
      assertNull(f, () -> "expected no failure, got " + f);
      return;
    }
    assertNotNull(f, "expected a failure");
    assertEquals(e.getString("kind"), f.kind().wire());
    assertEquals(e.getString("ip"), f.ip());
    assertEquals(e.getInteger("port"), f.port());
    if (e.getValue("user") != null) assertEquals(e.getString("user"), f.user());
  }

  @Test
  void corpusIsLargeAndHostileEnough() throws IOException {
    List<Arguments> all = corpus().toList();
    long hostile = all.stream().filter(a -> ((String) a.get()[1]).startsWith("hostile")).count();
    assertTrue(all.size() >= 150, "corpus has " + all.size() + " lines");
    assertTrue(hostile >= 30, "corpus has " + hostile + " hostile lines");
  }

  @Test
  void timestampsComeFromTheLine() {
    byte[] classic = "Nov 27 16:29:43 web1 sshd[1]: Invalid user x from 203.0.113.5 port 1".getBytes(StandardCharsets.UTF_8);
    assertEquals(1795796983000L, PARSER.parseLine(classic, 0, classic.length).tsMillis());
    byte[] iso = "2026-11-27T16:29:43.250+01:00 web1 sshd[1]: Invalid user x from 203.0.113.5 port 1".getBytes(StandardCharsets.UTF_8);
    assertEquals(1795796983000L - 3_600_000L + 250, PARSER.parseLine(iso, 0, iso.length).tsMillis());
    assertEquals(1, PARSER.parseLine(iso, 0, iso.length).pid());
  }

  @Test
  void paddedAndUnpaddedDaysGiveTheSameTime() {
    long expected = java.time.Instant.parse("2026-12-02T10:00:07Z").toEpochMilli();
    for (String stamp : new String[] {"Dec 2 10:00:07", "Dec  2 10:00:07", "Dec 02 10:00:07"}) {
      byte[] line = (stamp + " web1 sshd[7]: Invalid user x from 203.0.113.5 port 1").getBytes(StandardCharsets.UTF_8);
      assertEquals(expected, PARSER.parseLine(line, 0, line.length).tsMillis(), stamp);
    }
  }

  /** What the integration tests and real relays write, for every day of a year: days 1-9 included. */
  @Test
  void everyDayOfTheYearParsesInEveryDayFormat() {
    java.time.LocalDate d = java.time.LocalDate.of(2026, 1, 1);
    for (int i = 0; i < 365; i++, d = d.plusDays(1)) {
      for (String pattern : new String[] {"MMM d HH:mm:ss", "MMM ppd HH:mm:ss", "MMM dd HH:mm:ss"}) {
        String stamp = d.atTime(10, 0, 7).format(java.time.format.DateTimeFormatter.ofPattern(pattern, java.util.Locale.ENGLISH));
        byte[] line = (stamp + " web1 sshd[7]: Invalid user x from 203.0.113.5 port 1").getBytes(StandardCharsets.UTF_8);
        SshdFailure f = PARSER.parseLine(line, 0, line.length);
        assertNotNull(f, stamp);
        assertEquals(d.atTime(10, 0, 7).toInstant(ZoneOffset.UTC).toEpochMilli(), f.tsMillis(), stamp);
      }
    }
  }

  @Test
  void liveYearRollsBackForDecemberLinesReadInJanuary() {
    long jan2 = java.time.Instant.parse("2027-01-02T00:00:00Z").toEpochMilli();
    SshdLineParser live = SshdLineParser.live(ZoneOffset.UTC, () -> jan2);
    byte[] dec = "Dec 31 23:59:59 web1 sshd[1]: Invalid user x from 203.0.113.5 port 1".getBytes(StandardCharsets.UTF_8);
    assertEquals(java.time.Instant.parse("2026-12-31T23:59:59Z").toEpochMilli(), live.parseLine(dec, 0, dec.length).tsMillis());
  }

  static Stream<Arguments> worstCases() {
    List<Arguments> out = new ArrayList<>();
    String[] prefixes = {"Failed password for ", "Failed publickey for ", "Invalid user ", "Connection closed by invalid user ",
        "Disconnecting authenticating user ", "error: maximum authentication attempts exceeded for ", "User ",
        "Did not receive identification string from ", "ROOT LOGIN REFUSED FROM ", "Unable to negotiate with ",
        "Bad protocol version identification ", "pam_unix(sshd:auth): authentication failure; logname=",
        "error: PAM: Authentication failure for ", "Received disconnect from ", "refused connect from ",
        "Disconnecting invalid user ", "message repeated 2 times: [ Failed password for ", "Failed hostbased for "};
    String[] units = {"A", " from 198.51.100.1 port 22 ssh2: ", "Invalid user from 9 via ",
        " 198.51.100.1 port 1: Change of username or service not allowed: ("};
    String[] suffixes = {"", " port 22 ssh2", " from 203.0.113.1 port 22", " ssh2: RSA SHA256:x",
        " not allowed because listed in DenyUsers", " port 22: Too many authentication failures [preauth]",
        " port 22:3: Auth fail [preauth]", " (203.0.113.1)", " ssh2: RSA SHA256:x, client user \"a\", client host \"b\"", "]"};
    for (String p : prefixes) for (String u : units) for (String x : suffixes) out.add(Arguments.of(p, u, x));
    return out.stream();
  }

  /**
   * Linear, not just fast: every message form, with long attacker-controlled middles built to
   * defeat early exits. Eight times the input may cost about eight times the time, never the
   * sixty-four times a quadratic scan would. Fastest of 5 runs in thread CPU time; the bound (24x) leaves room for noise.
   */
  @ParameterizedTest(name = "{0}[{1}]*n{2}")
  @MethodSource("worstCases")
  void costGrowsLinearlyWithLength(String prefix, String unit, String suffix) {
    double small = fastestNanos(hostile(prefix, unit, suffix, 128 * 1024));
    double large = fastestNanos(hostile(prefix, unit, suffix, 8 * 128 * 1024));
    assertTrue(large < 24 * small + 1_000_000, "128 KiB: " + small / 1e6 + " ms, 1 MiB: " + large / 1e6 + " ms");
  }

  private static byte[] hostile(String prefix, String unit, String suffix, int bytes) {
    String body = unit.repeat(bytes / unit.length());
    return ("Nov 27 16:29:43 web1 sshd[1]: " + prefix + body + suffix).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The fastest of 5 runs in CPU time of this thread: time the thread spends waiting for a core
   * on a loaded machine, or in the collector's threads, is not the parser's cost.
   */
  private static double fastestNanos(byte[] b) {
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    long[] t = new long[5];
    for (int i = 0; i < 2; i++) PARSER.parseLine(b, 0, b.length);
    for (int i = 0; i < t.length; i++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      PARSER.parseLine(b, 0, b.length);
      t[i] = cpu.getCurrentThreadCpuTime() - t0;
    }
    java.util.Arrays.sort(t);
    return t[0];
  }
}
