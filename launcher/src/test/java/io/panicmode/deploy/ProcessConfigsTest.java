package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.FirewallBackend;
import io.panicmode.config.PanicConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped per-process config files: each validates and keeps to its process's port, roles and keys. */
class ProcessConfigsTest {

  /** Every shipped config file of one clustered process, with the kind of process it configures. */
  static final Map<String, String> PROCESS_FILES = Map.of(
      "packaging/etc/panicmode/action.yaml", "action",
      "packaging/etc/panicmode/sensor.yaml", "sensor",
      "packaging/etc/panicmode/central.yaml", "central",
      "config/examples/fleet-agent-action.yaml", "action",
      "config/examples/fleet-agent.yaml", "sensor",
      "config/examples/central-node.yaml", "central");

  static Stream<Arguments> processFiles() {
    return PROCESS_FILES.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("processFiles")
  void processConfigKeepsToItsKind(String file, String kind) {
    PanicConfig c = Repo.config(file);
    assertEquals(Repo.ROLES.get(kind), new HashSet<>(c.node().roles()), file + ": node.roles");
    assertTrue(c.cluster().enabled(), file + ": cluster.enabled");
    assertEquals(Repo.PORTS.get(kind), List.of(c.cluster().port(), c.cluster().eventBusPort()),
        file + ": cluster.port and cluster.event_bus_port must be the fixed pair the firewall rules name");
    String self = c.cluster().bind() + ":" + c.cluster().port();
    assertFalse(c.cluster().members().contains(self), file + ": lists itself as a member");
    for (String m : c.cluster().members()) {
      assertTrue(Repo.PORTS.values().stream().anyMatch(p -> p.get(0) == Repo.port(m)),
          file + ": member " + m + " is not on a PanicMode Hazelcast port");
    }
    assertTrue(c.cluster().tls().enabled(), file + ": event-bus TLS must be on");
    assertEquals(Repo.TLS_PASSWORD_PLACEHOLDER, c.cluster().tls().keyStorePassword(), file);
    assertEquals(Repo.TLS_PASSWORD_PLACEHOLDER, c.cluster().tls().trustStorePassword(), file);
    assertEquals("/etc/panicmode/tls/node.p12", c.cluster().tls().keyStore(), file);
    assertEquals("/etc/panicmode/tls/truststore.p12", c.cluster().tls().trustStore(), file);

    // Each key only where it is used: the command key signs (sensor) and verifies (action) detector
    // commands; the operator key signs (central: api) and verifies (action) manual ones.
    switch (kind) {
      case "action" -> {
        assertEquals("/etc/panicmode/keys/command.key", c.cluster().commandKeyFile(), file);
        assertEquals("/etc/panicmode/keys/operator.key", c.cluster().operatorKeyFile(), file);
        assertEquals("/etc/panicmode/keys/result.key", c.cluster().resultKeyFile(), file + ": the action process signs results");
        assertEquals(FirewallBackend.NFT, c.firewall().backend(), file + ": the action process really bans");
        assertFalse(c.processes().dryRun(), file);
      }
      case "sensor" -> {
        assertEquals("/etc/panicmode/keys/command.key", c.cluster().commandKeyFile(), file);
        assertNull(c.cluster().operatorKeyFile(), file + ": the sensor must not hold the operator key");
        assertNull(c.cluster().resultKeyFile(), file + ": the sensor must not hold the result key");
        assertEquals("/etc/panicmode/keys/results", c.cluster().resultKeysDir(), file + ": the detector verifies results");
        assertFalse(c.monitors().isEmpty(), file + ": the detector needs rules");
      }
      case "central" -> {
        assertEquals("/etc/panicmode/keys/central.command.key", c.cluster().commandKeyFile(),
            file + ": the central node must not hold a host's command key, only one no action process trusts");
        assertEquals("/etc/panicmode/keys/operator.key", c.cluster().operatorKeyFile(), file);
        assertTrue(c.httpApi().enabled(), file);
        assertEquals("/etc/panicmode/keys/api.token", c.httpApi().tokenFile(), file);
        assertNull(c.cluster().resultKeyFile(), file + ": the central node must not hold a result key");
        assertEquals("/etc/panicmode/keys/results", c.cluster().resultKeysDir(), file + ": the api verifies results");
        assertNull(c.httpApi().token(), file + ": the token belongs in a file, not in the config");
      }
      default -> throw new IllegalArgumentException(kind);
    }
    // Every writable path of a process lives in that process's own directories, which its unit or
    // container (and nothing else) makes writable.
    for (String p : List.of(c.storage().incidentDb(), c.storage().stateFile())) {
      assertTrue(p.startsWith("/var/lib/panicmode/" + kind + "/"), file + ": " + p);
    }
    for (String p : List.of(c.storage().logDir(), c.storage().snapshotDir())) {
      assertTrue(p.startsWith("/var/log/panicmode/" + kind), file + ": " + p);
    }
  }

  @Test
  void singleHostProcessesFormOneLoopbackCluster() {
    List<PanicConfig> all = Stream.of("action", "sensor", "central")
        .map(k -> Repo.config("packaging/etc/panicmode/" + k + ".yaml")).toList();
    Set<String> addresses = new TreeSet<>();
    for (PanicConfig c : all) {
      assertEquals("127.0.0.1", c.cluster().bind());
      addresses.add(c.cluster().bind() + ":" + c.cluster().port());
    }
    for (PanicConfig c : all) {
      Set<String> others = new TreeSet<>(addresses);
      others.remove(c.cluster().bind() + ":" + c.cluster().port());
      assertEquals(others, new TreeSet<>(c.cluster().members()), "each process lists the other two");
      assertEquals("panicmode", c.cluster().name());
    }
  }

  @Test
  void fleetAgentProcessesShareTheirHostAndFindTheCentralNode() {
    PanicConfig action = Repo.config("config/examples/fleet-agent-action.yaml");
    PanicConfig sensor = Repo.config("config/examples/fleet-agent.yaml");
    PanicConfig central = Repo.config("config/examples/central-node.yaml");
    assertEquals(action.cluster().bind(), sensor.cluster().bind(), "one agent host, one fleet address");
    String centralAddress = central.cluster().bind() + ":" + central.cluster().port();
    for (PanicConfig agent : List.of(action, sensor)) {
      assertTrue(agent.cluster().members().contains(centralAddress), "agents list the central node");
      assertEquals(central.cluster().name(), agent.cluster().name());
    }
    assertTrue(sensor.cluster().members().contains(action.cluster().bind() + ":" + action.cluster().port()),
        "the sensor lists its own host's action process, so local protection does not depend on the central node");
    assertTrue(action.cluster().members().contains(sensor.cluster().bind() + ":" + sensor.cluster().port()));
    assertTrue(action.fleet().shareBans(), "the fleet example shows shared bans");
  }

  @Test
  void privilegedHostRunsEveryRoleAndProtectsForReal() {
    PanicConfig c = Repo.config("config/examples/privileged-host.yaml");
    assertTrue(c.node().roles().isEmpty(), "all roles");
    assertFalse(c.cluster().enabled(), "one process, local event bus");
    assertEquals(FirewallBackend.NFT, c.firewall().backend());
    assertTrue(c.firewall().enabled());
    assertFalse(c.processes().dryRun());
    assertTrue(c.storage().incidentDb().startsWith("/var/lib/panicmode/"));
    assertTrue(c.storage().logDir().startsWith("/var/log/panicmode"));
  }

  @Test
  void everyShippedConfigFileIsCovered() {
    List<String> shipped = new ArrayList<>();
    for (String dir : List.of("config/examples", "packaging/etc/panicmode", "packaging/compose")) {
      for (Path p : Repo.list(dir, ".yaml")) shipped.add(Repo.root().relativize(p).toString());
    }
    Set<String> covered = new HashSet<>(PROCESS_FILES.keySet());
    covered.add("config/examples/privileged-host.yaml");
    // The two tiers of docker-compose.yml: ComposeFileTest checks them against the services.
    covered.add("packaging/compose/agent.yaml");
    covered.add("packaging/compose/central.yaml");
    for (String f : shipped) {
      assertTrue(covered.contains(f), f + " is shipped but no test checks it");
      assertNotNull(Repo.config(f));
    }
    assertTrue(shipped.containsAll(covered), "a covered file is missing: " + covered);
  }
}
