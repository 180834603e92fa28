package io.panicmode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.collector.auth.AuthLogFile;
import io.panicmode.collector.auth.AuthMode;
import io.panicmode.contracts.AuthEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthScanCommandTest {
  @TempDir Path dir;

  static final String LOG = String.join("\n",
      "Nov 27 16:29:40 web1 sshd[10]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root",
      "Nov 27 16:29:41 web1 sshd[10]: Failed password for root from 203.0.113.5 port 4000 ssh2",
      "Nov 27 16:29:42 web1 sshd[11]: Accepted publickey for alice from 192.0.2.1 port 4001 ssh2: ED25519 SHA256:x",
      "Nov 27 16:29:43 web1 sshd[12]: Invalid user \"x from 198.51.100.9 port 22 from 2001:db8::5 port 4002",
      "Nov 27 16:29:44 web1 sshd[13]: Invalid user " + "A".repeat(5000) + " from 203.0.113.6 port 4003",
      "Nov 27 16:29:45 web1 cron[14]: Failed password for root from 203.0.113.7 port 1 ssh2",
      "2026-11-27T16:29:46.500+00:00 web1 sshd[15]: Did not receive identification string from 203.0.113.8 port 4004") + "\n";

  @Test
  void printsOneJsonObjectPerCountedLineAndASummary() throws Exception {
    Path f = Files.writeString(dir.resolve("auth.log"), LOG);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = AuthScanCommand.run(new String[] {f.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    // One wrong password is one failure: the PAM line counts, its Failed line does not.
    assertEquals(List.of(
        "{\"line\":1,\"ip\":\"203.0.113.5\",\"user\":\"root\",\"kind\":\"pam_auth_failure\",\"failures\":1}",
        "{\"line\":4,\"ip\":\"2001:db8::5\",\"user\":\"\\\"x from 198.51.100.9 port 22\",\"kind\":\"invalid_user\",\"failures\":1}"),
        out.toString(StandardCharsets.UTF_8).lines().toList());
    String summary = err.toString(StandardCharsets.UTF_8);
    assertTrue(summary.startsWith("auth-scan (normal mode): 7 lines, 2 failures from 2 IPs, 2 recognised lines not counted"), summary);
    assertTrue(summary.contains("1 lines over 4096 bytes dropped"), summary);
  }

  @Test
  void allShowsTheLinesNotCountedAndAggressiveCountsNoise() throws Exception {
    Path f = Files.writeString(dir.resolve("auth.log"), LOG);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(0, AuthScanCommand.run(new String[] {"--all", f.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), quiet));
    List<String> all = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(4, all.size(), all::toString);
    assertTrue(all.get(1).contains("\"kind\":\"failed_password\",\"failures\":0"), all.get(1));
    out.reset();
    assertEquals(0, AuthScanCommand.run(new String[] {"--mode", "aggressive", f.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), quiet));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("no_identification"));
  }

  @Test
  void usageAndMissingFile() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(2, AuthScanCommand.run(new String[0], o, e));
    assertEquals(2, AuthScanCommand.run(new String[] {"a", "b"}, o, e));
    assertEquals(2, AuthScanCommand.run(new String[] {"--mode", "ddos", "a"}, o, e));
    assertEquals(1, AuthScanCommand.run(new String[] {dir.resolve("nope").toString()}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: panicmode auth-scan [--mode normal|aggressive] [--all] FILE"));
  }

  @Test
  void replayEventsCarryTheLinesOwnTimeAndFoldThePamPair() throws Exception {
    Path f = Files.writeString(dir.resolve("auth.log"), LOG);
    List<AuthEvent> ev = AuthLogFile.events(f, "web1", ZoneOffset.UTC, 2026, AuthMode.NORMAL);
    assertEquals(List.of("pam_auth_failure", "invalid_user"), ev.stream().map(AuthEvent::kind).toList());
    assertEquals(java.time.Instant.parse("2026-11-27T16:29:40Z").toEpochMilli(), ev.get(0).ts());
    List<AuthEvent> aggressive = AuthLogFile.events(f, "web1", ZoneOffset.UTC, 2026, AuthMode.AGGRESSIVE);
    assertEquals(java.time.Instant.parse("2026-11-27T16:29:46.500Z").toEpochMilli(), aggressive.get(2).ts());
    assertEquals(4002, ev.get(1).port());
  }

  @Test
  void c1ControlsAndDelInUserNamesAreEscapedForTheTerminal() throws Exception {
    Path f = Files.writeString(dir.resolve("auth.log"),
        "Nov 27 16:29:43 web1 sshd[12]: Invalid user a\u009b31mb\u007fc\u001b from 203.0.113.5 port 1\n", StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AuthScanCommand.run(new String[] {f.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    String line = out.toString(StandardCharsets.UTF_8).trim();
    assertEquals("{\"line\":1,\"ip\":\"203.0.113.5\",\"user\":\"a\\u009B31mb\\u007Fc\\u001B\",\"kind\":\"invalid_user\",\"failures\":1}", line);
    assertEquals("a\u009b31mb\u007fc\u001b", new io.vertx.core.json.JsonObject(line).getString("user"));
  }

  @Test
  void everythingOutsidePrintableAsciiIsEscapedAndTheValueIsKept() throws Exception {
    String user = "\u00e9l\u00e8ve\u202e\"\\\ud83d\ude00";
    Path f = Files.writeString(dir.resolve("auth.log"),
        "Nov 27 16:29:43 web1 sshd[12]: Invalid user " + user + " from 203.0.113.5 port 1\n", StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AuthScanCommand.run(new String[] {f.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    byte[] raw = out.toByteArray();
    for (byte b : raw) assertTrue(b == '\n' || (b >= 0x20 && b < 0x7f), "byte " + b);
    String line = new String(raw, StandardCharsets.US_ASCII).trim();
    assertTrue(line.contains("\\u00E9l\\u00E8ve\\u202E\\\"\\\\\\uD83D\\uDE00"), line);
    assertEquals(user, new io.vertx.core.json.JsonObject(line).getString("user"));
  }

  @Test
  void rotatedGzipLogsAreReadToo() throws Exception {
    Path gz = dir.resolve("auth.log.2.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(LOG.getBytes(StandardCharsets.UTF_8));
    }
    List<AuthEvent> ev = AuthLogFile.events(gz, "web1", ZoneOffset.UTC, 2026, AuthMode.NORMAL);
    assertEquals(List.of("pam_auth_failure", "invalid_user"), ev.stream().map(AuthEvent::kind).toList());
  }
}
