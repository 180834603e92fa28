package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PanicConfig;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docker-compose.yml (the fleet's two tiers on one Docker host) against the config files it renders into each container. */
class ComposeFileTest {
  private static Map<String, Object> compose;
  private static Map<String, Object> services;
  /** Template file in the repository for each process, from the setup service's mounts. */
  private static final Map<String, String> templates = new HashMap<>();

  @BeforeAll
  static void load() {
    compose = Repo.yaml("docker-compose.yml");
    services = Repo.map(compose.get("services"), "services");
    for (String v : Repo.strings(service("setup").get("volumes"), "setup.volumes")) {
      String[] parts = v.split(":");
      if (parts[0].startsWith("./") && parts[1].startsWith("/templates/") && parts[1].endsWith(".yaml")) {
        templates.put(parts[1].substring("/templates/".length(), parts[1].length() - ".yaml".length()), parts[0].substring(2));
      }
    }
  }

  static Map<String, Object> service(String name) {
    return Repo.map(services.get(name), "services." + name);
  }

  static List<String> command(String name) {
    return Repo.strings(service(name).get("command"), name + ".command");
  }

  static PanicConfig config(String kind) {
    String file = templates.get(kind);
    assertNotNull(file, "setup mounts no template for " + kind);
    return Repo.config(file);
  }

  @Test
  void servicesAreTheTwoTiersAndTheSetup() {
    assertEquals(Set.of("setup", "agent", "central"), services.keySet());
    assertEquals(Set.of("agent", "central"), templates.keySet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"agent", "central"})
  void processServiceMatchesItsConfig(String kind) {
    Map<String, Object> s = service(kind);
    List<String> cmd = command(kind);
    assertEquals("run", cmd.get(0));
    assertFalse(cmd.contains("--cluster"), kind + " joins no cluster");
    assertEquals("/etc/panicmode/" + kind + ".yaml", Repo.option(cmd, "--config"),
        "setup.sh renders /templates/<kind>.yaml to /etc/panicmode/<kind>.yaml");
    PanicConfig c = config(kind);
    assertEquals(Repo.TIER_ROLES.get(kind), Repo.rolesArg(cmd), kind + ": --roles");
    assertEquals(Repo.TIER_ROLES.get(kind), new HashSet<>(c.node().roles()), kind + ": node.roles");
    assertFalse(c.cluster().enabled(), kind + ": no Hazelcast, so no cluster port anywhere");

    // Host network, nothing published: the bridge and the API listen on the host's loopback.
    assertEquals("host", s.get("network_mode"), kind);
    assertNull(s.get("ports"), kind + ": host networking publishes nothing");
    assertEquals(true, s.get("read_only"), kind);
    assertTrue(Repo.strings(s.get("security_opt"), "security_opt").contains("no-new-privileges:true"), kind);
    assertEquals(List.of("ALL"), Repo.strings(s.get("cap_drop"), "cap_drop"), kind);

    List<String> added = Repo.strings(s.get("cap_add"), "cap_add");
    if (kind.equals("agent")) {
      assertEquals("0:0", s.get("user"));
      assertEquals(Set.of("NET_ADMIN", "KILL"), new HashSet<>(added));
      assertEquals("host", s.get("pid"), "the collector reads, and freezes act on, the host's processes");
    } else {
      assertEquals(Repo.PANICMODE_UID + ":" + Repo.PANICMODE_UID, s.get("user"));
      assertTrue(added.isEmpty(), "the central roles get no capability");
      assertNull(s.get("pid"), "the central roles need no host processes");
    }

    // Environment: only names PanicMode reads; the small-daemon JVM flags.
    Map<String, Object> env = Repo.map(s.get("environment"), kind + ".environment");
    for (String name : env.keySet()) {
      assertTrue(Repo.envNamesPanicModeReads().contains(name), kind + ": PanicMode never reads " + name);
    }
    assertEquals(Repo.clusteredJvmFlags(), Repo.words(String.valueOf(env.get("PANICMODE_JVM_OPTS"))), kind);

    // Mounts: /etc/panicmode from the process's own rendered volume, read-only; a volume under
    // every path the process writes.
    Map<String, String> mounts = mounts(kind);
    assertEquals("etc-" + kind + ":ro", mounts.get("/etc/panicmode"), kind + ": config volume");
    for (String p : List.of(c.storage().incidentDb(), c.storage().stateFile(), c.storage().logDir() + "/x",
        c.storage().snapshotDir() + "/x")) {
      assertTrue(mounts.entrySet().stream().anyMatch(m -> p.startsWith(m.getKey() + "/") && !m.getValue().endsWith(":ro")),
          kind + ": nothing writable is mounted for " + p);
    }
    var tls = c.central().bridge().tls();
    for (String f : List.of(tls.keyStore(), tls.trustStore())) assertTrue(f.startsWith("/etc/panicmode/tls/"), f);
    assertEquals(Repo.TLS_PASSWORD_PLACEHOLDER, tls.keyStorePassword(), kind + ": setup.sh fills it in");
  }

  @Test
  void theAgentReachesTheCentralBridgeOnlyWithItsOwnHostsCertificate() {
    PanicConfig agent = config("agent");
    PanicConfig central = config("central");
    assertTrue(central.central().bridge().listen());
    assertFalse(central.central().bridge().isAgent());
    assertTrue(agent.central().bridge().isAgent());
    assertFalse(agent.central().bridge().listen(), "an agent serves nothing");
    assertEquals(central.central().bridge().bind() + ":" + central.central().bridge().port(), agent.central().bridge().connect());
    assertEquals("127.0.0.1", central.central().bridge().bind(), "one Docker host: the bridge stays on loopback");
    assertFalse(agent.httpApi().enabled(), "the agent opens no port");

    // The agent's host id and its certificate's name come from the same HOST_ID.
    Map<String, Object> env = Repo.map(service("agent").get("environment"), "agent.environment");
    Map<String, Object> setupEnv = Repo.map(service("setup").get("environment"), "setup.environment");
    assertEquals(setupEnv.get("HOST_ID"), env.get("PANICMODE_HOST_ID"));
    assertFalse(Repo.read(templates.get("agent")).contains("\n  id:"), "PANICMODE_HOST_ID sets the agent's node.id");
    String script = Repo.read("packaging/compose/setup.sh");
    assertTrue(script.contains("panicmode certs issue \"$host\""), "setup issues the agent's certificate for HOST_ID");
    assertTrue(script.contains("$ca/$host.p12"), "the agent's key store is its own host's");

    // Signed both ways: the agent signs its answers, the central api verifies them and signs commands.
    assertNotNull(agent.cluster().resultKeyFile());
    assertNotNull(agent.cluster().commandKeyFile());
    assertNotNull(agent.cluster().operatorKeyFile());
    assertNotNull(central.cluster().resultKeysDir());
    assertNotNull(central.cluster().operatorKeyFile());
    assertNull(central.cluster().commandKeyFile(), "the central tier cannot sign detector commands");
    assertTrue(agent.fleet().shareBans(), "bans travel to the other agents through the central tier");
  }

  @Test
  void sqliteLivesOnANamedVolume() {
    PanicConfig c = config("central");
    Map<String, String> mounts = mounts("central");
    String dir = c.storage().incidentDb().substring(0, c.storage().incidentDb().lastIndexOf('/'));
    assertEquals("central-data", mounts.get(dir), "the incident database needs a volume of its own");
  }

  @Test
  void agentReadsTheHostsAuthLogWhereItsConfigLooks() {
    PanicConfig c = config("agent");
    Map<String, String> mounts = mounts("agent");
    assertEquals("/var/log:ro", mounts.get("/host/var/log"));
    for (String log : c.collector().authLogs()) {
      assertTrue(log.startsWith("/host/var/log/"), "auth log " + log + " is not under the mounted host /var/log");
    }
  }

  @Test
  void everyVolumeIsDeclaredAndEveryBindMountExists() {
    Set<String> declared = Repo.map(compose.get("volumes"), "volumes").keySet();
    Set<String> used = new HashSet<>();
    for (String name : services.keySet()) {
      for (String v : Repo.strings(service(name).get("volumes"), name + ".volumes")) {
        String source = v.split(":")[0];
        if (source.startsWith("./")) {
          assertTrue(Files.exists(Repo.path(source.substring(2))), name + ": bind source " + source + " does not exist");
        } else if (!source.startsWith("/")) {
          assertTrue(declared.contains(source), name + ": volume " + source + " is not declared");
          used.add(source);
        }
      }
    }
    assertEquals(declared, used, "declared volumes nobody mounts");
  }

  @Test
  void setupWritesWhatTheServicesMount() {
    Map<String, Object> setup = service("setup");
    assertEquals("0:0", setup.get("user"), "setup chowns the volumes");
    assertEquals("none", setup.get("network_mode"), "setup needs no network");
    String script = Repo.read("packaging/compose/setup.sh");
    Map<String, String> setupMounts = new HashMap<>();
    for (String v : Repo.strings(setup.get("volumes"), "setup.volumes")) {
      String[] p = v.split(":");
      setupMounts.put(p[0], p[1]);
    }
    for (String kind : List.of("agent", "central")) {
      mounts(kind).forEach((target, source) -> {
        String volume = source.split(":")[0];
        if (volume.startsWith("/")) return; // host bind mount
        String inSetup = setupMounts.get(volume);
        assertNotNull(inSetup, "setup does not prepare volume " + volume + " of " + kind);
        assertTrue(script.contains("$root" + inSetup), "setup.sh never touches " + inSetup);
      });
    }
  }

  @Test
  void onlyTheAgentMayChangeTheNetwork() {
    for (String name : services.keySet()) {
      List<String> added = Repo.strings(service(name).get("cap_add"), name + ".cap_add");
      assertEquals(name.equals("agent"), added.contains("NET_ADMIN"), name + ": NET_ADMIN");
      assertFalse(Boolean.TRUE.equals(service(name).get("privileged")), name + " must not be privileged");
    }
  }

  /** Container path to "source" or "source:ro". */
  private static Map<String, String> mounts(String service) {
    Map<String, String> m = new HashMap<>();
    for (String v : Repo.strings(service(service).get("volumes"), service + ".volumes")) {
      String[] p = v.split(":");
      m.put(p[1], p.length > 2 ? p[0] + ":" + p[2] : p[0]);
    }
    return m;
  }
}
