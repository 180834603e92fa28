package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.CollectorConfig;
import io.panicmode.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When SSH detection cannot see anything, and the reason it gives. */
class AuthBlindnessTest {
  @TempDir Path dir;

  private CollectorConfig collector(String source, Path log) throws Exception {
    return ConfigLoader.parse("collector:\n  auth_source: " + source + "\n  auth_logs: [\"" + log + "\"]\n", "test", Map.of())
        .collector();
  }

  @Test
  void autoWithNoAuthLogAndAnEmptyJournalIsBlind() throws Exception {
    Path journal = Files.createDirectories(dir.resolve("journal/0123abcd"));
    String reason = AuthBlindness.reason(collector("auto", dir.resolve("auth.log")), List.of(dir.resolve("journal")), p -> true);
    assertTrue(reason != null && reason.contains(dir.resolve("auth.log").toString())
        && reason.contains("journalctl finds no journal"), String.valueOf(reason));
    Files.writeString(journal.resolve("system.journal"), "x");
    assertNull(AuthBlindness.reason(collector("auto", dir.resolve("auth.log")), List.of(dir.resolve("journal")), p -> true),
        "a journal file makes journald usable");
  }

  @Test
  void autoWithoutJournalctlIsBlindUntilTheAuthLogIsThere() throws Exception {
    Path log = dir.resolve("auth.log");
    String reason = AuthBlindness.reason(collector("auto", log), List.of(), p -> false);
    assertTrue(reason != null && reason.contains("no journalctl"), String.valueOf(reason));
    Files.writeString(log, "");
    assertNull(AuthBlindness.reason(collector("auto", log), List.of(), p -> false));
  }

  @Test
  void fileAndJournaldSourcesAndOff() throws Exception {
    Path log = dir.resolve("secure");
    assertTrue(AuthBlindness.reason(collector("file", log), List.of(), p -> true).contains("no readable auth log"));
    assertTrue(AuthBlindness.reason(collector("journald", log), List.of(dir), p -> true).contains("finds no journal"));
    assertNull(AuthBlindness.reason(collector("\"off\"", log), List.of(), p -> false), "off is the operator's choice");
  }
}
