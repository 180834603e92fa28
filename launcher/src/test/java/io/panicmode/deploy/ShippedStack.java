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
import java.nio.file.attribute.PosixFilePermissions;
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
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs shipped deployment files for real: bin/panicmode with the shaded jar standing in for
 * /usr/bin/panicmode, each process started with its systemd unit's ExecStart and
 * PANICMODE_JVM_OPTS inside a network namespace, its config one of the shipped files with only
 * the paths moved into a temporary tree and the install steps' substitutions made.
 */
final class ShippedStack implements AutoCloseable {
  final Path tmp;
  final Path shim;
  final Path ca;
  final String password;
  private final Map<String, Process> procs = new LinkedHashMap<>();
  private final List<String> namespaces = new ArrayList<>();

  ShippedStack(Path tmp) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root: network namespaces and nftables");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "nft is not installed");
    String jar = System.getProperty("panicmode.jar");
    assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)), "needs the shaded jar: run with mvn verify");
    this.tmp = tmp;
    // /usr/bin/panicmode of an install: bin/panicmode, java from PATH, the jar through PANICMODE_JAR.
    shim = Files.createDirectories(tmp.resolve("bin")).resolve("panicmode");
    Files.writeString(shim, "#!/bin/sh\nPATH='" + Path.of(Launcher.java()).getParent() + "':$PATH\nPANICMODE_JAR='" + jar
        + "' exec sh '" + Repo.path("bin/panicmode") + "' \"$@\"\n");
    Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    ca = tmp.resolve("ca");
    run(List.of(shim.toString(), "certs", "init", "--dir", ca.toString()), Map.of(), 60);
    password = Files.readString(ca.resolve("password")).strip();
  }

  /** A host's /etc/panicmode: trust store, the node's key store from `certs issue NODE`, and the named keys. */
  Path etc(String host, Set<String> keys) throws Exception {
    run(List.of(shim.toString(), "certs", "issue", host, "--dir", ca.toString()), Map.of(), 60);
    Path etc = Files.createDirectories(tmp.resolve(host + "/etc"));
    Files.createDirectories(etc.resolve("tls"));
    Files.createDirectories(etc.resolve("keys"));
    Files.copy(ca.resolve("truststore.p12"), etc.resolve("tls/truststore.p12"));
    Files.copy(ca.resolve(host + ".p12"), etc.resolve("tls/node.p12"));
    for (String k : keys) {
      Path target = etc.resolve("keys/" + k);
      switch (k) {
        case "command.key" -> Files.copy(ca.resolve(host + ".command.key"), target);
        case "operator.key" -> Files.copy(ca.resolve("operator.key"), target);
        case "api.token" -> Files.writeString(target, "3f1c0ffee0ddba11deadbeefcafef00d\n");
        case "central.command.key" -> Files.writeString(target, "00112233445566778899aabbccddeeff\n");
        case "result.key" -> Files.copy(ca.resolve(host + ".result.key"), target);
        // Every host's public result key, as a fleet's requesters hold them.
        case "results" -> {
          Files.createDirectories(target);
          try (var pubs = Files.list(ca.resolve("results"))) {
            for (Path pub : (Iterable<Path>) pubs::iterator) Files.copy(pub, target.resolve(pub.getFileName()));
          }
        }
        default -> throw new IllegalArgumentException(k);
      }
    }
    return etc;
  }

  /**
   * Installs a shipped config as {@code etc/<kind>.yaml}: paths moved under the host's directory,
   * the TLS password filled in, the auth log pointed at {@code authLog}, heartbeats every second
   * (the shipped 15 s would only make the test wait), and process actions in dry-run mode.
   */
  @SuppressWarnings("unchecked")
  void install(String repoFile, Path etc, String kind, Path authLog) throws Exception {
    Path host = etc.getParent();
    String text = Repo.read(repoFile)
        .replace("/etc/panicmode/", etc + "/")
        .replace("/var/lib/panicmode/", host.resolve("lib") + "/")
        .replace("/var/log/panicmode/", host.resolve("log") + "/")
        .replace(Repo.TLS_PASSWORD_PLACEHOLDER, password);
    Map<String, Object> tree = new Yaml().load(text);
    if (authLog != null) {
      Map<String, Object> collector = (Map<String, Object>) tree.computeIfAbsent("collector", k -> new LinkedHashMap<>());
      collector.put("auth_source", "file");
      collector.put("auth_logs", List.of(authLog.toString()));
    }
    ((Map<String, Object>) tree.computeIfAbsent("fleet", k -> new LinkedHashMap<String, Object>())).put("heartbeat_interval", "1s");
    // The test host is busy with the build itself: a CPU anomaly would have the root action process
    // freeze the busiest process of the machine (the build). Process actions only log in tests.
    ((Map<String, Object>) tree.computeIfAbsent("processes", k -> new LinkedHashMap<String, Object>())).put("dry_run", true);
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    text = new Yaml(options).dump(tree);
    Repo.parseConfig(text, repoFile);
    Files.writeString(etc.resolve(kind + ".yaml"), text);
    Files.createDirectories(host.resolve("lib/" + kind));
    Files.createDirectories(host.resolve("log/" + kind));
  }

  /** A fresh network namespace with loopback up; deleted by {@link #close()}. */
  String namespace(String prefix) throws Exception {
    String ns = prefix + Long.toHexString(System.nanoTime() & 0xffffffL);
    run(List.of("ip", "netns", "add", ns), Map.of(), 10);
    namespaces.add(ns);
    run(List.of("ip", "-n", ns, "link", "set", "lo", "up"), Map.of(), 10);
    return ns;
  }

  /** Starts a process as its unit does: ExecStart with this host's /etc/panicmode, the unit's JVM flags. */
  void start(String name, String ns, String kind, Path etc, Map<String, String> env) throws Exception {
    SystemdUnitsTest.Unit unit = SystemdUnitsTest.unit("panicmode-" + kind + ".service");
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    for (String w : SystemdUnitsTest.execStart(unit)) {
      cmd.add(w.equals("/usr/bin/panicmode") ? shim.toString() : w.replace("/etc/panicmode/", etc + "/"));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".out").toFile());
    pb.environment().put("PANICMODE_JVM_OPTS", SystemdUnitsTest.jvmOpts(unit));
    pb.environment().putAll(env);
    procs.put(name, pb.start());
  }

  /** panicmode-ctl --json ARGS inside a namespace, for the host whose /etc/panicmode is {@code etc}. */
  String ctl(String ns, Path etc, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "sh",
        Repo.path("packaging/bin/panicmode-ctl").toString(), "--json"));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of("PANICMODE_ETC", etc.toString(), "PANICMODE_BIN", shim.toString()), 60);
  }

  /** Roles reported "ok" by every host the central API knows, per host. */
  Map<String, Set<String>> rolesByHost(String ns, Path etc) throws Exception {
    String out = ctl(ns, etc, "agents");
    Map<String, Set<String>> m = new LinkedHashMap<>();
    JsonArray items = json(out).getJsonArray("items", new JsonArray());
    for (Object o : items) {
      JsonObject a = (JsonObject) o;
      Set<String> roles = m.computeIfAbsent(a.getString("host"), k -> new TreeSet<>());
      a.getJsonObject("roles", new JsonObject()).forEach(e -> {
        if ("ok".equals(e.getValue())) roles.add(e.getKey());
      });
    }
    return m;
  }

  /** Resident set size of a started process in MiB, from /proc (the start chain execs down to java). */
  long rssMib(String name) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(procs.get(name).pid()), "status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
    }
    throw new AssertionError("no VmRSS for " + name);
  }

  String nftRuleset(String ns) throws Exception {
    return run(List.of("ip", "netns", "exec", ns, "nft", "list", "ruleset"), Map.of(), 10);
  }

  /** Fifteen sshd failures from one address, as sshd writes them now. */
  static void sshBruteForce(Path authLog, String ip) throws Exception {
    DateTimeFormatter syslog = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 15; i++) {
      lines.append(LocalDateTime.now().format(syslog)).append(" testhost sshd[").append(4000 + i)
          .append("]: Failed password for root from ").append(ip).append(" port ").append(50000 + i).append(" ssh2\n");
    }
    Files.writeString(authLog, lines, StandardOpenOption.APPEND);
  }

  interface Check {
    boolean ok() throws Exception;
  }

  /** Polls until the check holds; fails at once when a process has died, with its output. */
  void await(String what, int seconds, Check check) throws Exception {
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

  /** SIGTERM to each process in turn: each must stop within 20 s with exit code 0. */
  void stopGracefully(String... names) throws Exception {
    for (String name : names) {
      Process p = procs.get(name);
      p.destroy();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), name + " did not stop within 20 s");
      assertEquals(0, p.exitValue(), name + " exit code; output:\n" + tail(name));
    }
  }

  String tail(String name) {
    try {
      List<String> lines = Files.readAllLines(tmp.resolve(name + ".out"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (Exception e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : procs.values()) {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (String ns : namespaces) run(List.of("ip", "netns", "del", ns), Map.of(), 10);
  }

  static JsonObject json(String out) {
    int brace = out.indexOf('{');
    if (brace < 0) throw new AssertionError("not JSON: " + out);
    return new JsonObject(out.substring(brace));
  }

  /**
   * Runs a command to completion; its output, or an AssertionError with it when it fails or
   * outlives {@code seconds} (then it and its children are killed). Output goes through a file,
   * so a child that keeps the stream open cannot block the test.
   */
  static String run(List<String> cmd, Map<String, String> env, int seconds) throws Exception {
    Path out = Files.createTempFile("panicmode-cmd", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment().remove("PANICMODE_CONFIG");
      pb.environment().remove("PANICMODE_API_URL");
      pb.environment().remove("PANICMODE_API_TOKEN");
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(cmd + " did not finish within " + seconds + " s: " + Files.readString(out));
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) throw new AssertionError(cmd + " exited " + p.exitValue() + ": " + text);
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
