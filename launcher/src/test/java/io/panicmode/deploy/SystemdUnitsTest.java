package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.config.PanicConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The systemd units under packaging/systemd: who each process runs as and what it may do. */
class SystemdUnitsTest {

  /** One unit file: section name to key to every value given (a key may repeat). */
  record Unit(String name, Map<String, Map<String, List<String>>> sections) {
    List<String> all(String section, String key) {
      return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /** The effective value: the last assignment wins, as in systemd. */
    String get(String section, String key) {
      List<String> v = all(section, key);
      return v.isEmpty() ? null : v.get(v.size() - 1);
    }

    Set<String> words(String section, String key) {
      String v = get(section, key);
      return v == null ? Set.of() : new HashSet<>(Repo.words(v));
    }
  }

  /** Reads a unit file: sections, key=value lines, comments, and backslash continuations. */
  static Unit parse(String name, String text) {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    String section = null;
    String pending = "";
    for (String raw : text.split("\n", -1)) {
      String line = pending + raw.strip();
      pending = "";
      if (line.endsWith("\\")) {
        pending = line.substring(0, line.length() - 1) + " ";
        continue;
      }
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1);
        sections.putIfAbsent(section, new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      assertTrue(eq > 0, name + ": not a key=value line: " + line);
      assertNotNull(section, name + ": key outside a section: " + line);
      sections.get(section).computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(line.substring(eq + 1).strip());
    }
    return new Unit(name, sections);
  }

  static Unit unit(String file) {
    return parse(file, Repo.read("packaging/systemd/" + file));
  }

  /** ExecStart split into words, with the unit's PANICMODE_JVM_OPTS as systemd would pass it. */
  static List<String> execStart(Unit u) {
    String exec = u.get("Service", "ExecStart");
    assertNotNull(exec, u.name() + ": no ExecStart");
    return Repo.words(exec);
  }

  static String jvmOpts(Unit u) {
    for (String env : u.all("Service", "Environment")) {
      String e = env.startsWith("\"") && env.endsWith("\"") ? env.substring(1, env.length() - 1) : env;
      if (e.startsWith("PANICMODE_JVM_OPTS=")) return e.substring("PANICMODE_JVM_OPTS=".length());
    }
    return null;
  }

  @ParameterizedTest
  @ValueSource(strings = {"action", "sensor", "central"})
  void processUnitRunsItsConfigAsTheRightUser(String kind) {
    Unit u = unit("panicmode-" + kind + ".service");
    List<String> exec = execStart(u);
    assertEquals("/usr/bin/panicmode", exec.get(0), "units start through the shipped start script");
    assertEquals("run", exec.get(1));
    assertTrue(exec.contains("--cluster"));
    String config = Repo.option(exec, "--config");
    assertEquals("/etc/panicmode/" + kind + ".yaml", config);
    PanicConfig c = Repo.config("packaging/etc/panicmode/" + kind + ".yaml");
    assertEquals(Repo.ROLES.get(kind), Repo.rolesArg(exec), u.name() + ": --roles");
    assertEquals(Repo.ROLES.get(kind), new HashSet<>(c.node().roles()), u.name() + ": --roles agrees with node.roles");

    Set<String> caps = u.words("Service", "CapabilityBoundingSet");
    Set<String> ambient = u.words("Service", "AmbientCapabilities");
    if (kind.equals("action")) {
      assertEquals("root", u.get("Service", "User"));
      assertEquals(Set.of("CAP_NET_ADMIN", "CAP_KILL"), caps, "root, bounded to what banning and signalling need");
      assertEquals(Set.of("CAP_NET_ADMIN", "CAP_KILL"), ambient);
      assertTrue(u.words("Service", "RestrictAddressFamilies").contains("AF_NETLINK"), "nftables talks netlink");
    } else {
      assertEquals("panicmode", u.get("Service", "User"));
      assertEquals("panicmode", u.get("Service", "Group"));
      assertTrue(caps.isEmpty(), u.name() + ": CapabilityBoundingSet must be empty, got " + caps);
      assertTrue(ambient.isEmpty(), u.name() + ": no ambient capabilities, got " + ambient);
      assertFalse(u.words("Service", "RestrictAddressFamilies").contains("AF_NETLINK"));
    }
    if (kind.equals("sensor")) {
      assertEquals(Set.of("adm", "systemd-journal"), u.words("Service", "SupplementaryGroups"),
          "the collector reads the auth log (adm) and the journal (systemd-journal)");
    } else {
      assertTrue(u.words("Service", "SupplementaryGroups").isEmpty(), u.name() + ": no extra groups");
    }
    hardened(u);

    // The process may write exactly its own directories, and they hold everything it writes.
    assertEquals("panicmode/" + kind, u.get("Service", "StateDirectory"));
    assertEquals("panicmode/" + kind, u.get("Service", "LogsDirectory"));
    Set<String> writable = u.words("Service", "ReadWritePaths");
    assertEquals(Set.of("/var/lib/panicmode/" + kind, "/var/log/panicmode/" + kind), writable);
    for (String p : List.of(c.storage().incidentDb(), c.storage().stateFile(), c.storage().logDir() + "/x",
        c.storage().snapshotDir() + "/x")) {
      assertTrue(writable.stream().anyMatch(w -> p.startsWith(w + "/")), u.name() + ": " + p + " is not writable");
    }

    String opts = jvmOpts(u);
    assertNotNull(opts, u.name() + ": PANICMODE_JVM_OPTS not set");
    assertEquals(Repo.clusteredJvmFlags(), Repo.words(opts), u.name() + ": JVM flags differ from bin/panicmode's");
    assertEquals("panicmode.target", u.get("Install", "WantedBy"));
  }

  @Test
  void keysAreHiddenFromProcessesThatDoNotUseThem() {
    assertTrue(unit("panicmode-sensor.service").words("Service", "InaccessiblePaths")
        .contains("-/etc/panicmode/keys/operator.key"), "the sensor must not read the operator key");
    assertTrue(unit("panicmode-central.service").words("Service", "InaccessiblePaths")
        .contains("-/etc/panicmode/keys/command.key"), "the central roles must not read the host's command key");
    for (String u : List.of("panicmode-sensor.service", "panicmode-central.service")) {
      assertTrue(unit(u).words("Service", "InaccessiblePaths").contains("-/etc/panicmode/keys/result.key"),
          u + ": only the action process may read the result key");
    }
    assertEquals("invisible", unit("panicmode-central.service").get("Service", "ProtectProc"));
    for (String k : List.of("action", "sensor")) {
      assertEquals(null, unit("panicmode-" + k + ".service").get("Service", "ProtectProc"),
          k + " must see every process (top CPU, freezes)");
    }
  }

  @Test
  void allInOneUnitIsBoundedRootWithLogGroups() {
    Unit u = unit("panicmode.service");
    assertEquals("root", u.get("Service", "User"));
    assertEquals(Set.of("CAP_NET_ADMIN", "CAP_KILL"), u.words("Service", "CapabilityBoundingSet"));
    assertEquals(Set.of("adm", "systemd-journal"), u.words("Service", "SupplementaryGroups"));
    assertEquals("/etc/panicmode/config.yaml", Repo.option(execStart(u), "--config"));
    assertTrue(u.words("Unit", "Conflicts").containsAll(
        Set.of("panicmode.target", "panicmode-action.service", "panicmode-sensor.service", "panicmode-central.service")));
    PanicConfig c = Repo.config("config/examples/privileged-host.yaml");
    for (String p : List.of(c.storage().incidentDb(), c.storage().logDir() + "/x")) {
      assertTrue(u.words("Service", "ReadWritePaths").stream().anyMatch(w -> p.startsWith(w + "/")), p);
    }
    assertEquals(null, jvmOpts(u), "one process on the local bus keeps bin/panicmode's default flags");
    hardened(u);
  }

  @Test
  void targetPullsInTheThreeProcesses() {
    Unit t = parse("panicmode.target", Repo.read("packaging/systemd/panicmode.target"));
    assertEquals(Set.of("panicmode-action.service", "panicmode-sensor.service", "panicmode-central.service"),
        t.words("Unit", "Wants"));
  }

  private static void hardened(Unit u) {
    Map<String, String> required = Map.of(
        "NoNewPrivileges", "yes", "ProtectSystem", "strict", "PrivateTmp", "yes", "PrivateDevices", "yes",
        "ProtectKernelModules", "yes", "ProtectKernelTunables", "yes", "ProtectControlGroups", "yes",
        "RestrictSUIDSGID", "yes", "Restart", "on-failure");
    required.forEach((k, v) -> assertEquals(v, u.get("Service", k), u.name() + ": " + k));
    assertTrue(Set.of("yes", "read-only").contains(u.get("Service", "ProtectHome")), u.name() + ": ProtectHome");
    assertEquals("/bin/kill -HUP $MAINPID", u.get("Service", "ExecReload"), u.name() + ": SIGHUP reloads");
  }

  /** systemd itself reads the units: no unknown key, no bad value. */
  @Test
  void systemdAcceptsTheUnits(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/systemd-analyze", "verify", "--man=no"));
    for (Path p : Repo.list("packaging/systemd", "")) {
      // ExecStart must name an existing binary for verify; the start script is not installed here.
      String text = Files.readString(p, StandardCharsets.UTF_8).replace("/usr/bin/panicmode ", "/bin/true ");
      Path copy = dir.resolve(p.getFileName());
      Files.writeString(copy, text, StandardCharsets.UTF_8);
      cmd.add(copy.toString());
    }
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify hung");
    List<String> problems = out.lines()
        .filter(l -> l.contains(dir.toString()) || l.contains("panicmode"))
        .filter(l -> !l.contains("Failed to create") && !l.contains("bus")) // no systemd instance in CI
        .toList();
    assertTrue(problems.isEmpty(), "systemd-analyze verify:\n" + out);
  }

  @Test
  void unitDirectoryHoldsOnlyKnownUnits() throws IOException {
    Set<String> names = new HashSet<>();
    for (Path p : Repo.list("packaging/systemd", "")) names.add(p.getFileName().toString());
    assertEquals(Set.of("panicmode.service", "panicmode.target", "panicmode-action.service",
        "panicmode-sensor.service", "panicmode-central.service"), names);
  }
}
