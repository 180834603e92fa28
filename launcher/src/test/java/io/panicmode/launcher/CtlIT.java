package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code panicmode ctl} end to end against a running all-in-one PanicMode. */
class CtlIT {
  record Run(int code, String out, String err) {}

  @Test
  void listBlockUnblockStatusIncidents(@TempDir Path dir) throws Exception {
    int port = PanicProcess.freePort();
    Path record = dir.resolve("firewall.txt");
    Path block = dir.resolve("block.sh");
    Path unblock = dir.resolve("unblock.sh");
    Files.writeString(block, "#!/bin/sh\necho \"block $1\" >> '" + record + "'\n");
    Files.writeString(unblock, "#!/bin/sh\necho \"unblock $1\" >> '" + record + "'\n");
    Files.setPosixFilePermissions(block, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(unblock, PosixFilePermissions.fromString("rwx------"));
    Path cfg = Files.writeString(dir.resolve("panicmode.yaml"), """
        node: {id: ctl-it}
        storage: {incident_db: "./var/incidents.db", snapshot_dir: "./var/snap", log_dir: "./var/log", state_file: "./var/state.json"}
        http_api: {enabled: true, bind: "127.0.0.1:%d", token: ctl-token}
        firewall: {backend: script, block_script: "%s", unblock_script: "%s"}
        processes: {dry_run: true}
        collector: {auth_source: "off"}
        """.formatted(port, block, unblock));
    try (PanicProcess p = PanicProcess.start("all-in-one", dir, Map.of(), "run", "--config", cfg.toString())) {
      assertTrue(Await.holds(Duration.ofSeconds(30), () -> p.output().contains("PanicMode ready")), p.output());
      Map<String, String> env = Map.of("PANICMODE_API_URL", "http://127.0.0.1:" + port, "PANICMODE_API_TOKEN", "ctl-token");

      Run empty = ctl(dir, env, "list");
      assertEquals(0, empty.code, empty.err);
      assertTrue(empty.out.contains("No active blocks."), empty.out);

      Run blocked = ctl(dir, env, "block", "203.0.113.77", "--for", "1h", "--reason", "ctl test");
      assertEquals(0, blocked.code, blocked.out + blocked.err);
      assertTrue(Files.readString(record).contains("block 203.0.113.77"));
      assertTrue(Await.holds(Duration.ofSeconds(10), () -> {
        Run l = ctl(dir, env, "list");
        return l.out.contains("203.0.113.77") && l.out.contains("ago") && l.out.contains("ctl test");
      }), "ban not listed");

      Run hostile = ctl(dir, env, "block", "010.0.0.1");
      assertEquals(1, hostile.code);
      assertTrue(hostile.err.startsWith("Error: "), hostile.err);

      Run badToken = ctl(dir, Map.of("PANICMODE_API_URL", "http://127.0.0.1:" + port, "PANICMODE_API_TOKEN", "wrong"),
          "unblock", "203.0.113.77");
      assertEquals(1, badToken.code);
      assertTrue(badToken.err.startsWith("Error: "), badToken.err);

      Run unblocked = ctl(dir, env, "unblock", "203.0.113.77");
      assertEquals(0, unblocked.code, unblocked.out + unblocked.err);
      assertTrue(Files.readString(record).contains("unblock 203.0.113.77"));
      assertTrue(Await.holds(Duration.ofSeconds(10), () -> ctl(dir, env, "list").out.contains("No active blocks.")));

      Run status = ctl(dir, env, "status");
      assertEquals(0, status.code, status.err);
      assertTrue(status.out.contains("ok"), status.out);

      Run incidents = ctl(dir, env, "--json", "incidents", "--since", "1h");
      assertEquals(0, incidents.code, incidents.err);
      assertTrue(incidents.out.strip().startsWith("{") || incidents.out.strip().startsWith("["), incidents.out);
    }
  }

  private static Run ctl(Path dir, Map<String, String> env, String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", PanicProcess.jar().toString(), "ctl"));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
      pb.environment().putAll(env);
      Path out = Files.createTempFile(dir, "ctl", ".out");
      Path err = Files.createTempFile(dir, "ctl", ".err");
      Process proc = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!proc.waitFor(60, TimeUnit.SECONDS)) proc.destroyForcibly();
      return new Run(proc.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (Exception e) {
      return new Run(-1, "", e.toString());
    }
  }
}
