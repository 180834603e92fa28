package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The privilege-separated host as shipped: the three configs of packaging/etc/panicmode, only
 * their paths moved into a temporary tree and the TLS password filled in as the install steps
 * do, each started with its systemd unit's ExecStart and PANICMODE_JVM_OPTS through bin/panicmode
 * and the shaded jar, in a network namespace of their own (so the fixed ports and the nftables
 * ban table touch nothing else). Over the TLS event bus:
 * every process reports to the central API; an SSH brute force written to the auth log is
 * banned by the action process on the detector's signed command and stored as an incident; a
 * manual block through panicmode-ctl (API token, operator key) is applied too; SIGTERM stops
 * each process with exit code 0.
 */
class ShippedSeparatedHostIT {
  static final String ATTACKER = "198.51.100.7";
  static final String MANUAL = "203.0.113.9";

  @TempDir Path tmp;

  @Test
  void shippedConfigsWorkTogether() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root: network namespace and nftables");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "nft is not installed");

    String jar = System.getProperty("panicmode.jar");
    assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)), "needs the shaded jar: run with mvn verify");
    // /usr/bin/panicmode of an install: bin/panicmode, finding java on PATH and the jar through PANICMODE_JAR.
    Path shim = Files.createDirectories(tmp.resolve("bin")).resolve("panicmode");
    Files.writeString(shim, "#!/bin/sh\nPATH='" + Path.of(Launcher.java()).getParent() + "':$PATH\nPANICMODE_JAR='" + jar
        + "' exec sh '" + Repo.path("bin/panicmode") + "' \"$@\"\n");
    Files.setPosixFilePermissions(shim, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path ca = tmp.resolve("ca");
    run(List.of(shim.toString(), "certs", "init", "--dir", ca.toString()), Map.of(), 60);
    run(List.of(shim.toString(), "certs", "issue", "node", "--dir", ca.toString()), Map.of(), 60);
    String password = Files.readString(ca.resolve("password")).strip();

    Path etc = Files.createDirectories(tmp.resolve("etc"));
    Files.createDirectories(etc.resolve("tls"));
    Files.createDirectories(etc.resolve("keys"));
    Files.copy(ca.resolve("truststore.p12"), etc.resolve("tls/truststore.p12"));
    Files.copy(ca.resolve("node.p12"), etc.resolve("tls/node.p12"));
    Files.copy(ca.resolve("node.command.key"), etc.resolve("keys/command.key"));
    Files.copy(ca.resolve("operator.key"), etc.resolve("keys/operator.key"));
    Files.writeString(etc.resolve("keys/api.token"), "3f1c0ffee0ddba11deadbeefcafef00d\n");
    Files.writeString(etc.resolve("keys/central.command.key"), "00112233445566778899aabbccddeeff\n");
    Path authLog = tmp.resolve("auth.log");
    Files.writeString(authLog, "");
    for (String kind : List.of("action", "sensor", "central")) {
      String text = Repo.read("packaging/etc/panicmode/" + kind + ".yaml")
          .replace("/etc/panicmode/", etc + "/")
          .replace("/var/lib/panicmode/", tmp.resolve("lib") + "/")
          .replace("/var/log/panicmode/", tmp.resolve("log") + "/")
          .replace(Repo.TLS_PASSWORD_PLACEHOLDER, password)
          .replaceFirst("auth_source: auto[^\\n]*", "auth_source: file\n  auth_logs: [\"" + authLog + "\"]");
      text = withFastHeartbeat(text);
      Repo.parseConfig(text, kind);
      Files.writeString(etc.resolve(kind + ".yaml"), text);
      Files.createDirectories(tmp.resolve("lib/" + kind));
      Files.createDirectories(tmp.resolve("log/" + kind));
    }

    String ns = "pmstack" + Long.toHexString(System.nanoTime() & 0xffffffL);
    run(List.of("ip", "netns", "add", ns), Map.of(), 10);
    Map<String, Process> procs = new LinkedHashMap<>();
    try {
      run(List.of("ip", "-n", ns, "link", "set", "lo", "up"), Map.of(), 10);
      for (String kind : List.of("central", "action", "sensor")) {
        SystemdUnitsTest.Unit unit = SystemdUnitsTest.unit("panicmode-" + kind + ".service");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        for (String w : SystemdUnitsTest.execStart(unit)) {
          cmd.add(w.equals("/usr/bin/panicmode") ? shim.toString() : w.replace("/etc/panicmode/", etc + "/"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(tmp.resolve(kind + ".out").toFile());
        pb.environment().put("PANICMODE_JVM_OPTS", SystemdUnitsTest.jvmOpts(unit));
        procs.put(kind, pb.start());
      }
      Map<String, String> ctlEnv = Map.of("PANICMODE_ETC", etc.toString(), "PANICMODE_BIN", shim.toString());
      List<String> ctl = List.of("ip", "netns", "exec", ns, "sh", Repo.path("packaging/bin/panicmode-ctl").toString(), "--json");

      // 1. Every process reports its roles to the central node.
      Set<String> everyRole = new TreeSet<>(Set.of("action", "collector", "detector", "alert", "storage", "api"));
      await("all six roles reported to the central API", 180, procs, () -> {
        String out = run(concat(ctl, "agents"), ctlEnv, 60);
        Set<String> roles = new TreeSet<>();
        JsonArray items = json(out).getJsonArray("items", new JsonArray());
        for (Object o : items) ((JsonObject) o).getJsonObject("roles", new JsonObject()).forEach(e -> {
          if ("ok".equals(e.getValue())) roles.add(e.getKey());
        });
        return roles.containsAll(everyRole);
      });

      // 2. Detector -> signed command -> action process -> nftables, and the incident is stored.
      DateTimeFormatter syslog = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 15; i++) {
        lines.append(LocalDateTime.now().format(syslog)).append(" testhost sshd[").append(4000 + i)
            .append("]: Failed password for root from ").append(ATTACKER).append(" port ").append(50000 + i)
            .append(" ssh2\n");
      }
      Files.writeString(authLog, lines, StandardOpenOption.APPEND);
      await(ATTACKER + " banned in nftables", 60, procs,
          () -> run(List.of("ip", "netns", "exec", ns, "nft", "list", "ruleset"), Map.of(), 10).contains(ATTACKER));
      await("the incident stored on the central node", 60, procs,
          () -> run(concat(ctl, "incidents", "--since", "1h"), ctlEnv, 60).contains("ssh_brute_force"));

      // 3. A manual block through the API (token, operator key) reaches the action process.
      String blocked = run(concat(ctl, "block", MANUAL, "--for", "10m", "--reason", "deploy test"), ctlEnv, 60);
      await(MANUAL + " banned in nftables", 60, procs,
          () -> run(List.of("ip", "netns", "exec", ns, "nft", "list", "ruleset"), Map.of(), 10).contains(MANUAL));
      assertTrue(blocked.contains(MANUAL), blocked);

      // 4. SIGTERM: graceful stop, exit 0.
      for (String kind : List.of("sensor", "action", "central")) {
        Process p = procs.get(kind);
        p.destroy();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), kind + " did not stop within 20 s");
        assertEquals(0, p.exitValue(), kind + " exit code; output:\n" + tail(kind));
      }
    } finally {
      for (Process p : procs.values()) {
        if (p.isAlive()) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
      run(List.of("ip", "netns", "del", ns), Map.of(), 10);
    }
  }

  /** The shipped heartbeat interval (15 s) would make the test wait for it; only that changes. */
  @SuppressWarnings("unchecked")
  private static String withFastHeartbeat(String text) {
    Map<String, Object> tree = new Yaml().load(text);
    ((Map<String, Object>) tree.computeIfAbsent("fleet", k -> new LinkedHashMap<String, Object>()))
        .put("heartbeat_interval", "1s");
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(tree);
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private void await(String what, int seconds, Map<String, Process> procs, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String last = "";
    while (System.nanoTime() < deadline) {
      for (Map.Entry<String, Process> e : procs.entrySet()) {
        if (!e.getValue().isAlive()) fail(e.getKey() + " exited with " + e.getValue().exitValue() + ":\n" + tail(e.getKey()));
      }
      try {
        if (check.ok()) return;
      } catch (AssertionError | RuntimeException e) {
        last = String.valueOf(e.getMessage());
      }
      Thread.sleep(500);
    }
    StringBuilder logs = new StringBuilder();
    for (String k : procs.keySet()) logs.append("--- ").append(k).append(":\n").append(tail(k)).append('\n');
    fail("timed out waiting for " + what + " (last: " + last + ")\n" + logs);
  }

  private String tail(String kind) {
    try {
      List<String> lines = Files.readAllLines(tmp.resolve(kind + ".out"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (Exception e) {
      return "(no output: " + e + ")";
    }
  }

  private static JsonObject json(String out) {
    int brace = out.indexOf('{');
    if (brace < 0) throw new AssertionError("not JSON: " + out);
    return new JsonObject(out.substring(brace));
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(List.of(b));
    return l;
  }

  /** Runs a command to completion; its output, or an AssertionError with it when it fails. */
  private static String run(List<String> cmd, Map<String, String> env, int seconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("PANICMODE_CONFIG");
    pb.environment().remove("PANICMODE_API_URL");
    pb.environment().remove("PANICMODE_API_TOKEN");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " hung");
    }
    if (p.exitValue() != 0) throw new AssertionError(cmd + " exited " + p.exitValue() + ": " + out);
    return out;
  }
}
