package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.AuthEvent;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * journald input, from output recorded with {@code journalctl -o json} on a systemd 252 journal
 * (resources/journald/sshd-journal.json). The recording holds sshd and sshd-session entries, a
 * PAM + Failed pair of one process, a non-UTF-8 MESSAGE (a byte array), a process that only
 * claims to be sshd (SYSLOG_IDENTIFIER=sshd, _COMM=logger) and an entry whose sender exited
 * before journald could read its _COMM.
 */
class JournaldTest {
  static final Path FIXTURE = Path.of("src/test/resources/journald/sshd-journal.json");
  static final List<String> EXPECTED = List.of(
      "failed_password 203.0.113.41 root 52011",
      "invalid_user 2001:db8::41 oracle 52012",
      "pam_auth_failure 198.51.100.42 root 0",
      "connection_closed_preauth 203.0.113.44 x from 198.51.100.9 port 22 52015",
      "invalid_user 203.0.113.46 \ufffd\ufffdq 52017",
      "unable_to_negotiate 203.0.113.47  52018");

  final MetricsRegistry metrics = new MetricsRegistry();
  final List<AuthEvent> events = new CopyOnWriteArrayList<>();
  final AuthPipeline pipeline = new AuthPipeline("web1", SshdLineParser.forYear(ZoneOffset.UTC, 2026), AuthMode.AGGRESSIVE, events::add,
      () -> 0L, metrics);

  static String show(AuthEvent e) { return e.kind() + " " + e.ip() + " " + e.user() + " " + e.port(); }

  @Test
  void recordedEntriesGiveExactlyTheSshdFailures() throws Exception {
    JournaldFollower f = new JournaldFollower("journalctl", 4096, pipeline, r -> { });
    for (String line : Files.readAllLines(FIXTURE, StandardCharsets.UTF_8)) f.entry(line);
    assertEquals(EXPECTED, events.stream().map(JournaldTest::show).toList());
    // The journal's own receive time, microseconds to milliseconds.
    assertTrue(events.get(0).ts() > 1_700_000_000_000L && events.get(0).ts() < 1_900_000_000_000L);
    assertEquals(1, metrics.counterValue("panicmode_collector_auth_duplicates_total"));
  }

  @Test
  void programIsDecidedByCommNotByTheIdentifierTheSenderChose() {
    JournalEntry fake = JournalEntry.parse(
        "{\"_COMM\":\"logger\",\"SYSLOG_IDENTIFIER\":\"sshd\",\"MESSAGE\":\"Invalid user x from 203.0.113.1 port 1\"}");
    assertNull(fake.message());
    JournalEntry noComm = JournalEntry.parse("{\"SYSLOG_IDENTIFIER\":\"sshd\",\"MESSAGE\":\"Invalid user x from 203.0.113.1 port 1\"}");
    assertNull(noComm.message());
    assertNull(JournalEntry.parse("not json"));
    assertNull(JournalEntry.parse("[1,2]"));
  }

  @Test
  void longMessagesAreDroppedAndCounted() {
    JournaldFollower f = new JournaldFollower("journalctl", 300, pipeline, r -> { });
    f.entry("{\"_COMM\":\"sshd\",\"_PID\":\"1\",\"MESSAGE\":\"Invalid user " + "x".repeat(400) + " from 203.0.113.1 port 1\"}");
    assertTrue(events.isEmpty());
    assertEquals(1, metrics.counterValue("panicmode_collector_auth_lines_too_long_total"));
  }

  @Test
  void followsAJournalctlProcessAndResumesAfterTheLastCursor() throws Exception {
    // A stand-in for journalctl: prints the recording, then stays alive like "journalctl -f".
    JournaldFollower f = new JournaldFollower(List.of("sh", "-c", "cat \"$0\"; exec sleep 60", FIXTURE.toString()), 4096,
        pipeline, r -> { });
    assertEquals(List.of("sh", "-c", "cat \"$0\"; exec sleep 60", FIXTURE.toString(), "-n", "0", "_COMM=sshd",
        "_COMM=sshd-session", "_COMM=sshd-auth"), f.command());
    f.start();
    try {
      Await.until("every journal entry", () -> events.size() >= EXPECTED.size());
      assertEquals(EXPECTED, events.stream().map(JournaldTest::show).toList());
      assertTrue(f.command().get(4).startsWith("--after-cursor=s="), f.command().toString());
    } finally {
      f.close();
    }
  }
}
