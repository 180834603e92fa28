package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: validate, auth-scan, replay, certs and errors, each with its exit code. */
class MainTest {
  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.dispatch(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void validateAcceptsTheSeedReferenceInAllThreeSpellings() {
    String seed = "../contracts/src/test/resources/config/seed-reference.yaml";
    for (String cmd : new String[] {"validate", "--validate", "--check"}) {
      Result r = run(cmd, seed);
      assertEquals(0, r.code, r.err);
      assertEquals("OK: " + seed + " parsed and validated\n", r.out);
    }
  }

  /** Issue 15, defect 8: the original guide's custom-metric example validates, and says what it assumed. */
  @Test
  void theOriginalsCustomMetricExampleValidatesWithAWarningNamingTheMetric() {
    String example = "../detector-verticle/src/test/resources/scenarios/custom_metric_original_example/rules.yaml";
    Result r = run("validate", example);
    assertEquals(0, r.code, r.err);
    assertEquals("OK: " + example + " parsed and validated\n", r.out);
    assertTrue(r.err.contains("Warning: custom rule \"queue_backed_up\"") && r.err.contains("reads \"app_queue_depth\"")
        && r.err.contains("write metric: app_queue_depth"), r.err);
  }

  @Test
  void validateWithoutAFileChecksTheConfigRunWouldLoad(@TempDir Path home) throws Exception {
    Path cfg = Files.writeString(Files.createDirectories(home.resolve("config")).resolve("panicmode.yaml"),
        Files.readString(Path.of("../config/panicmode.yaml")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.dispatch(new String[] {"validate"}, Map.of("PANICMODE_HOME", home.toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    assertEquals("OK: " + cfg + " parsed and validated\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void validateListsEveryErrorAndExitsOne(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "monitors:\n  - {name: a, type: cpu, threshold: -1, actions: []}\n");
    Result r = run("validate", bad.toString());
    assertEquals(1, r.code);
    assertTrue(r.err.contains("monitors[0].type: unknown value \"cpu\""), r.err);
    assertTrue(r.err.contains("monitors[0].threshold: must be >= 0"), r.err);
    assertTrue(r.err.contains("monitors[0].actions: must list at least one action"), r.err);
  }

  @Test
  void validateChecksTheScriptsTheConfigNames(@TempDir Path dir) throws Exception {
    Path runnable = Files.writeString(dir.resolve("block.sh"), "#!/bin/sh\n");
    runnable.toFile().setExecutable(true);
    Path plain = Files.writeString(dir.resolve("hook.sh"), "#!/bin/sh\n");
    plain.toFile().setExecutable(false);
    Path cfg = Files.writeString(dir.resolve("c.yaml"), """
        firewall: {block_script: "%s", unblock_script: "%s/missing.sh"}
        actions: {notify: {type: script, action: "%s"}}
        """.formatted(runnable, dir, plain));
    Result r = run("validate", cfg.toString());
    assertEquals(1, r.code, r.err);
    assertTrue(r.err.contains("Warning: firewall.unblock_script: " + dir + "/missing.sh does not exist (yet)"), r.err);
    assertTrue(r.err.contains("actions.notify.action: " + plain + " is not an executable file"), r.err);
    assertFalse(r.err.contains("firewall.block_script"), r.err);

    plain.toFile().setExecutable(true);
    Result ok = run("validate", cfg.toString());
    assertEquals(0, ok.code, ok.err);
    assertTrue(ok.err.contains("Warning: firewall.unblock_script"), "a missing script is a warning only: " + ok.err);
  }

  @Test
  void authScanPrintsOneJsonObjectPerFailure(@TempDir Path dir) throws Exception {
    Path log = Files.writeString(dir.resolve("auth.log"), """
        Nov 27 10:00:00 host sshd[100]: Failed password for invalid user x from 198.51.100.9 port 22 from 203.0.113.5 port 4444 ssh2
        Nov 27 10:00:01 host CRON[5]: pam_unix(cron:session): session opened for user root
        Nov 27 10:00:02 host sshd[101]: Invalid user admin from 2001:db8::7 port 52144
        """);
    Result r = run("auth-scan", log.toString());
    assertEquals(0, r.code, r.err);
    String[] lines = r.out.strip().split("\n");
    assertEquals(2, lines.length, r.out);
    assertTrue(lines[0].contains("\"line\":1") && lines[0].contains("\"ip\":\"203.0.113.5\""), lines[0]);
    assertTrue(lines[1].contains("\"line\":3") && lines[1].contains("\"ip\":\"2001:db8::7\""), lines[1]);
  }

  @Test
  void replayShowsWhatWouldFireWithoutActing(@TempDir Path dir) throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      log.append("Nov 27 10:00:0").append(i).append(" host sshd[10").append(i)
          .append("]: Failed password for root from 203.0.113.99 port 5000").append(i).append(" ssh2\n");
    }
    Path logFile = Files.writeString(dir.resolve("auth.log"), log);
    Path cfg = Files.writeString(dir.resolve("c.yaml"), """
        node: {id: replay-host}
        monitors:
          - {name: ssh_brute_force, type: auth_failures, threshold: 3, window: 10m, actions: [block_ip, alert_critical]}
        storage: {incident_db: "%s/db", snapshot_dir: "%s/s", log_dir: "%s/l", state_file: "%s/state.json"}
        """.formatted(dir, dir, dir, dir));
    Result r = run("replay", "--config", cfg.toString(), "--auth-log", logFile.toString(), "--json", "--year", "2026");
    assertEquals(0, r.code, r.err);
    assertTrue(r.out.contains("ssh_brute_force") && r.out.contains("203.0.113.99") && r.out.contains("block_ip"), r.out);
    assertTrue(Files.notExists(dir.resolve("state.json")), "replay must not write detector state");
  }

  @Test
  void certsInitAndIssue(@TempDir Path dir) {
    assertEquals(0, run("certs", "init", "--dir", dir.toString()).code);
    assertEquals(1, run("certs", "init", "--dir", dir.toString()).code, "never replaces an existing CA");
    assertEquals(0, run("certs", "issue", "web-1", "--dir", dir.toString()).code);
    assertTrue(Files.exists(dir.resolve("web-1.p12")) && Files.exists(dir.resolve("web-1.command.key")));
    assertEquals(2, run("certs", "issue", "../evil", "--dir", dir.toString()).code);
  }

  @Test
  void unknownCommandIsAUsageError() {
    Result r = run("frobnicate");
    assertEquals(2, r.code);
    assertTrue(r.err.startsWith("Error: unknown command \"frobnicate\""), r.err);
  }
}
