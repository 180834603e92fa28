package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code panicmode ctl block/unblock} on the host with no token set up, over the local control
 * socket: with the shipped config found the way {@code bin/panicmode} finds it (through
 * {@code PANICMODE_HOME}, from another working directory), and with the original daemon's
 * reference config, whose {@code http_api.enabled: false} leaves the socket as the only way in.
 * {@code PANICMODE_CTL_SOCKET} (an override the original had too) keeps each run's socket in its
 * temp dir, so parallel runs on one machine do not meet at {@code /run/panicmode/ctl.sock}.
 */
class CtlSocketIT {
  record Run(int code, String out, String err, long millis) {}

  @Test
  void shippedConfigFromAnyDirectory(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("config"));
    // The shipped config as is, except for its fixed HTTP port, which a parallel run may hold.
    String shipped = Files.readString(Path.of("../config/panicmode.yaml"));
    assertTrue(shipped.contains("127.0.0.1:8765"));
    Files.writeString(home.resolve("config/panicmode.yaml"), shipped.replace("127.0.0.1:8765", "127.0.0.1:" + PanicProcess.freePort()));
    Path work = Files.createDirectories(dir.resolve("elsewhere"));
    Map<String, String> env = Map.of("PANICMODE_HOME", home.toString(), "PANICMODE_CTL_SOCKET", dir.resolve("ctl.sock").toString());
    try (PanicProcess p = PanicProcess.start("shipped", work, env)) {
      assertTrue(Await.holds(Duration.ofSeconds(60), () -> p.output().contains("PanicMode ready")), p.output());
      assertTrue(p.output().contains("ctl socket listening on " + dir.resolve("ctl.sock")), p.output());
      blockAndUnblock(work, env, p);
    }
  }

  @Test
  void originalDaemonsConfigWithItsApiOff(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && "root".equals(System.getProperty("user.name")),
        "needs root and unshare: the reference config acts on real processes and alerts real services, so it runs in "
            + "its own PID and network namespaces");
    Path record = dir.resolve("firewall.txt");
    Path block = script(dir.resolve("block.sh"), "#!/bin/sh\necho \"block $1\" >> '" + record + "'\n");
    Path unblock = script(dir.resolve("unblock.sh"), "#!/bin/sh\necho \"unblock $1\" >> '" + record + "'\n");
    String seed = Files.readString(Path.of("../contracts/src/test/resources/config/seed-reference.yaml"));
    assertTrue(seed.contains("http_api:\n  enabled: false"));
    // Only where it keeps its files changes: /var/lib and /var/log are not a test's to write.
    Path cfg = Files.writeString(dir.resolve("config.yaml"), seed
        .replace("/var/lib/panicmode/", dir + "/").replace("/var/log/panicmode", dir + "/log"));
    Map<String, String> env = new HashMap<>(Map.of("PANICMODE_CTL_SOCKET", dir.resolve("ctl.sock").toString(),
        "PANICMODE_BLOCK_IP_SCRIPT", block.toString(), "PANICMODE_UNBLOCK_IP_SCRIPT", unblock.toString(),
        "PANICMODE_MASS_FREEZE_CONFIG", dir.resolve("absent-mass-freeze.yaml").toString()));
    List<String> isolated = List.of("/usr/bin/unshare", "--net", "--pid", "--fork", "--kill-child", "--mount-proc");
    try (PanicProcess p = PanicProcess.startWrapped(isolated, "seed", dir, env, "run", "--config", cfg.toString())) {
      assertTrue(Await.holds(Duration.ofSeconds(60), () -> p.output().contains("PanicMode ready")), p.output());
      Map<String, String> ctlEnv = Map.of("PANICMODE_CONFIG", cfg.toString(), "PANICMODE_CTL_SOCKET", env.get("PANICMODE_CTL_SOCKET"));
      blockAndUnblock(dir, ctlEnv, p);
      String firewall = Files.readString(record);
      assertTrue(firewall.contains("block 203.0.113.7") && firewall.contains("unblock 203.0.113.7"), firewall);
    }
  }

  private static void blockAndUnblock(Path workDir, Map<String, String> env, PanicProcess p) throws Exception {
    // The first ctl of a user writes its class archive; the commands timed below are the everyday ones.
    Run first = ctl(workDir, env, "list");
    assertEquals(0, first.code, first.out + first.err + p.output());
    Run blocked = ctl(workDir, env, "block", "203.0.113.7");
    assertEquals(0, blocked.code, blocked.out + blocked.err + p.output());
    assertTrue(blocked.out.startsWith("Blocked 203.0.113.7 on "), blocked.out);
    Run listed = ctl(workDir, env, "list");
    assertTrue(listed.out.contains("203.0.113.7"), listed.out + listed.err);
    Run unblocked = ctl(workDir, env, "unblock", "203.0.113.7");
    assertEquals(0, unblocked.code, unblocked.out + unblocked.err);
    Run status = ctl(workDir, env, "status");
    assertEquals(0, status.code, status.err);
    Run reloaded = ctl(workDir, env, "reload");
    assertEquals(0, reloaded.code, reloaded.out + reloaded.err + p.output());
    assertTrue(reloaded.out.contains("Config reloaded."), reloaded.out);
    System.out.printf("ctl over the socket: first run %d ms (writes the class archive), block %d ms, unblock %d ms, "
        + "status %d ms (whole bin/panicmode command, JVM start included; load average %s)%n",
        first.millis, blocked.millis, unblocked.millis, status.millis, Files.readString(Path.of("/proc/loadavg")).strip());
  }

  private static Path script(Path path, String text) throws Exception {
    Files.writeString(path, text);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    return path;
  }

  /** {@code bin/panicmode ctl ...} as an operator runs it: the launcher script picks the JVM flags and the class archive. */
  static Run ctl(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of("../bin/panicmode").toAbsolutePath().normalize().toString(), "ctl"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().remove("PANICMODE_API_URL");
    pb.environment().remove("PANICMODE_API_TOKEN");
    pb.environment().remove("PANICMODE_JVM_OPTS");
    pb.environment().put("PANICMODE_JAR", PanicProcess.jar().toString());
    // This JVM's java first on the PATH, and the archive in the test's own cache dir.
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "ctl", ".out");
    Path err = Files.createTempFile(dir, "ctl", ".err");
    long t0 = System.nanoTime();
    Process proc = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!proc.waitFor(60, TimeUnit.SECONDS)) proc.destroyForcibly();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    return new Run(proc.waitFor(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), millis);
  }
}
