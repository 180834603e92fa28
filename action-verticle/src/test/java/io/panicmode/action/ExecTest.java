package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionResult;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots (unique names, header, sections, retention) and run_script hooks (env, timeout, exit codes). */
@ExtendWith(VertxExtension.class)
class ExecTest {
  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void setUp() { vertx = Vertx.vertx(); }

  @AfterEach
  void tearDown() throws Exception { vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void snapshotsNeverOverwriteAndArePruned() throws Exception {
    Path snaps = dir.resolve("snapshots");
    Files.createDirectories(snaps);
    Path old = snaps.resolve("panicmode-snapshot-1000.txt");
    Files.writeString(old, "old");
    Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 40L * 86_400_000));
    Path unrelated = snaps.resolve("notes.txt");
    Files.writeString(unrelated, "keep me");
    TestSupport.deploy(vertx, new ActionVerticle(TestSupport.local(TestSupport.config(dir,
        "  snapshot_keep: 3\n", ""))));

    List<String> files = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      var c = new io.panicmode.contracts.ActionCommand(java.util.UUID.randomUUID().toString(), TestSupport.HOST, "snapshot",
          List.of(), List.of(), 0, "", "", TestSupport.incident("high_cpu", "details " + i), "detector",
          System.currentTimeMillis(), "");
      ActionResult r = TestSupport.send(vertx, c);
      assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
      files.add(r.affected().get(0));
    }
    assertEquals(4, files.stream().distinct().count(), "snapshot names must be unique: " + files);
    String text = Files.readString(Path.of(files.get(3)));
    assertTrue(text.startsWith("=== PanicMode Snapshot ===\nTimestamp: "), text);
    assertTrue(text.contains("Incident: high_cpu\nSeverity: Critical\nDescription: high_cpu exceeded threshold: 97.3 > 80.0\n"
        + "Details: details 3\n"), text);
    for (String s : List.of("UPTIME", "PROCESSES", "NETWORK", "MEMORY", "DISK")) assertTrue(text.contains("=== " + s + " ==="), s);
    assertTrue(text.contains("PID"), "ps output missing");
    List<Path> left;
    try (var ls = Files.list(snaps)) {
      left = ls.filter(p -> p.getFileName().toString().startsWith("panicmode-snapshot-")).collect(Collectors.toList());
    }
    assertEquals(3, left.size(), "snapshot_keep not honoured: " + left);
    assertFalse(Files.exists(old), "snapshot older than snapshot_max_age kept");
    assertFalse(Files.exists(Path.of(files.get(0))), "oldest snapshot beyond the count kept");
    assertTrue(Files.exists(unrelated));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(files.get(3)))));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void hooksGetOnlyPathAndThePanicVariablesAndFailOnNonZeroExitOrTimeout() throws Exception {
    Path envOut = dir.resolve("env.txt");
    Path hook = TestSupport.script(dir, "hook.sh", "env | sort > '" + envOut + "'\necho \"argc=$#\" >> '" + envOut + "'");
    Path failing = TestSupport.script(dir, "fail.sh", "echo failing; exit 4");
    Path slow = TestSupport.script(dir, "slow.sh", "sleep 30");
    String cfg = "actions:\n  notify:\n    type: script\n    action: " + hook + "\n  broken:\n    action: " + failing
        + "\n  slow:\n    action: " + slow + "\n    timeout: 1s\n  relative:\n    action: scripts/x.sh\n";
    TestSupport.deploy(vertx, new ActionVerticle(TestSupport.local(TestSupport.config(dir, cfg))));

    String details = "x".repeat(9000) + "\u00e9";
    var inc = TestSupport.incident("high_cpu", details);
    var c = new io.panicmode.contracts.ActionCommand(java.util.UUID.randomUUID().toString(), TestSupport.HOST, "run_script",
        List.of(), List.of(), 0, "", "notify", inc, "detector", System.currentTimeMillis(), "");
    ActionResult r = TestSupport.send(vertx, c);
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    Map<String, String> env = Files.readAllLines(envOut).stream().filter(l -> l.contains("="))
        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1), (a, b) -> a));
    assertEquals("high_cpu", env.get("PANIC_INCIDENT_NAME"));
    assertEquals("Critical", env.get("PANIC_SEVERITY"));
    assertEquals("high_cpu exceeded threshold: 97.3 > 80.0", env.get("PANIC_DESCRIPTION"));
    assertEquals("x".repeat(8192) + "...[truncated]", env.get("PANIC_DETAILS"));
    assertEquals("80.0", env.get("PANIC_THRESHOLD"));
    assertEquals("97.3", env.get("PANIC_CURRENT_VALUE"));
    assertEquals("0", env.get("argc"));
    for (String k : env.keySet()) {
      assertTrue(k.startsWith("PANIC_") || List.of("PATH", "PWD", "SHLVL", "_", "argc").contains(k), "leaked env var " + k);
    }

    r = TestSupport.send(vertx, TestSupport.command("run_script:broken", List.of(), List.of(), ""));
    assertEquals(ActionResult.Status.FAILED, r.status());
    assertTrue(r.reason().contains("exit code 4"), r.reason());
    r = TestSupport.send(vertx, TestSupport.command("run_script", List.of(), List.of(), "slow"));
    assertEquals(ActionResult.Status.FAILED, r.status());
    assertTrue(r.reason().contains("timed out"), r.reason());
    r = TestSupport.send(vertx, TestSupport.command("run_script", List.of(), List.of(), "relative"));
    assertTrue(r.reason().contains("absolute"), r.reason());
    r = TestSupport.send(vertx, TestSupport.command("run_script", List.of(), List.of(), "nosuch"));
    assertEquals(ActionResult.Status.FAILED, r.status());
    // Several hooks and none keyed run_script: no guess (the rule the detector and the validator apply too).
    r = TestSupport.send(vertx, TestSupport.command("run_script", List.of(), List.of(), ""));
    assertEquals(ActionResult.Status.FAILED, r.status());
    assertTrue(r.reason().contains("without a hook key") && !r.retryable(), r.reason());
  }
}
