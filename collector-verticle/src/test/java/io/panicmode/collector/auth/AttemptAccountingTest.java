package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fixtures in src/test/resources/attempts/ (see its README): how many failures each line adds. */
class AttemptAccountingTest {
  static Stream<Path> cases() throws IOException, URISyntaxException {
    Path dir = Path.of(AttemptAccountingTest.class.getResource("/attempts").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
      assertTrue(all.size() >= 9, "fixtures missing: " + all);
      return all.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachLineAddsTheExpectedFailures(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String header = lines.get(0);
    assertTrue(header.startsWith("# mode: "), "first line names the mode");
    AttemptAccounting accounting = new AttemptAccounting(AuthMode.parse(header.substring("# mode: ".length())));
    SshdLineParser parser = SshdLineParser.forYear(ZoneOffset.UTC, 2026);
    for (int i = 1; i < lines.size(); i++) {
      String row = lines.get(i);
      int tab = row.indexOf('\t');
      int expected = Integer.parseInt(row.substring(0, tab));
      byte[] b = row.substring(tab + 1).getBytes(StandardCharsets.UTF_8);
      SshdFailure f = parser.parseLine(b, 0, b.length);
      int got = f == null ? 0 : accounting.failures(f, 0);
      assertEquals(expected, got, "line " + (i + 1) + ": " + row.substring(tab + 1));
    }
  }

  @Test
  void memoryIsBoundedWhateverThePids() {
    AttemptAccounting a = new AttemptAccounting(AuthMode.NORMAL);
    for (long pid = 1; pid <= 100_000; pid++) {
      assertEquals(1, a.failures(new SshdFailure(AuthKind.PAM_FAILURE, "203.0.113.9", "x", 0, pid, 1000), 0));
    }
    // The first pids were forgotten: their Failed line counts again rather than growing the table.
    assertEquals(1, a.failures(new SshdFailure(AuthKind.FAILED_PASSWORD, "203.0.113.9", "x", 1, 1, 1000), 0));
    assertEquals(0, a.failures(new SshdFailure(AuthKind.FAILED_PASSWORD, "203.0.113.9", "x", 1, 100_000, 1000), 0));
  }

  @Test
  void modeNamesAreCheckedWithAClearMessage() {
    assertEquals(AuthMode.AGGRESSIVE, AuthMode.parse("Aggressive"));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> AuthMode.parse("ddos"));
    assertTrue(e.getMessage().contains("normal or aggressive"), e.getMessage());
  }
}
