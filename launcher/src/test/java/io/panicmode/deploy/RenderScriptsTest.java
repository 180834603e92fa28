package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.config.PanicConfig;
import io.panicmode.config.TlsConfig;
import io.panicmode.launcher.bridge.BridgeClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the scripts that turn the shipped templates into each tier's /etc/panicmode — the
 * compose setup (packaging/compose/setup.sh) and the Kubernetes init step (render.sh in the
 * ConfigMap) — against a temporary tree, with the real {@code panicmode certs}. The result must
 * validate, open its key stores with the password it was given, hold only the keys that process
 * uses, owned as the process needs, and give the agent a certificate naming its own host id.
 */
class RenderScriptsTest {
  /**
   * Keys each process may hold. The agent (root) holds the command key (its detector signs, its
   * action role verifies), the operator key (verifies manual commands) and its result key (signs
   * its answers); the central api the operator key, the API token and every agent's public result key.
   */
  static final Map<String, Set<String>> KEYS = Map.of(
      "agent", Set.of("command.key", "operator.key", "result.key"),
      "central", Set.of("operator.key", "api.token", "results"));

  @TempDir Path tmp;
  private Path bin;

  @BeforeEach
  void shim() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "the scripts chown to root and uid 10001: needs root");
    // `panicmode` on PATH runs this build's launcher, as the image's /usr/bin/panicmode does.
    bin = Launcher.shim(tmp.resolve("bin")).getParent();
  }

  private String run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "script hung: " + out);
    return p.exitValue() + "\n" + out;
  }

  @Test
  void composeSetupRendersEachTierWithOnlyItsKeys() throws Exception {
    Path root = tmp.resolve("compose");
    Files.createDirectories(root.resolve("templates"));
    Files.createDirectories(root.resolve("ca"));
    for (String kind : KEYS.keySet()) {
      Files.copy(Repo.path("packaging/compose/" + kind + ".yaml"), root.resolve("templates/" + kind + ".yaml"));
      for (String d : List.of("out", "state", "logs")) Files.createDirectories(root.resolve(d + "/" + kind));
    }
    Map<String, String> env = new HashMap<>(Map.of("SETUP_ROOT", root.toString(), "HOST_ID", "web-1"));
    String script = Repo.path("packaging/compose/setup.sh").toString();
    String first = run(env, "sh", script);
    assertTrue(first.startsWith("0\n"), first);
    checkTiers(root, "web-1");
    assertOwner(root.resolve("state/agent"), 0, "700");
    assertOwner(root.resolve("logs/agent"), 0, "700");
    assertOwner(root.resolve("state/central"), Repo.PANICMODE_UID, "700");
    assertOwner(root.resolve("logs/central"), Repo.PANICMODE_UID, "700");

    // Every `docker compose up` runs setup again: it keeps the CA and re-renders. Another HOST_ID
    // gets a certificate of its own from the same CA.
    byte[] ca = Files.readAllBytes(root.resolve("ca/ca.p12"));
    env.put("HOST_ID", "web-2");
    String second = run(env, "sh", script);
    assertTrue(second.startsWith("0\n"), second);
    assertArrayEquals(ca, Files.readAllBytes(root.resolve("ca/ca.p12")), "the fleet CA must never be replaced");
    checkTiers(root, "web-2");

    for (String bad : List.of("central", "web 1", "-x", "")) {
      env.put("HOST_ID", bad);
      String refused = run(env, "sh", script);
      assertNotEquals('0', refused.charAt(0), bad + ": " + refused);
      assertTrue(refused.contains("HOST_ID"), refused);
    }
  }

  /** Compose's rendered tiers: the agent's certificate names {@code host}, the central api can verify its answers. */
  private static void checkTiers(Path root, String host) throws Exception {
    PanicConfig agent = checkProcess(root.resolve("out/agent"), "agent");
    checkProcess(root.resolve("out/central"), "central");
    assertEquals(host, BridgeClient.certifiedHost(inEtc(root.resolve("out/agent"), agent.central().bridge().tls())));
    assertTrue(Files.isRegularFile(root.resolve("out/central/keys/results/" + host + ".result.pub")));
    assertFalse(Files.exists(root.resolve("out/central/keys/results/central.result.pub")), "central answers no command");
  }

  @Test
  void kubernetesRenderWritesAgentAndCentralAndRefusesWhatIsMissing() throws Exception {
    Map<String, Object> data = KubernetesManifestsTest.configMapData();
    Path root = tmp.resolve("k8s");
    Path templates = Files.createDirectories(root.resolve("templates"));
    for (String t : List.of("agent.yaml", "central.yaml", "render.sh")) {
      Files.writeString(templates.resolve(t), (String) data.get(t), StandardCharsets.UTF_8);
    }
    // The Secret's files and the nodes' own, made as secret.yaml and daemonset-agent.yaml say.
    Path ca = root.resolve("fleet-ca");
    for (String[] cmd : List.of(new String[] {"init"}, new String[] {"issue", "central", "ip-10-0-0-7-ec2-internal"})) {
      List<String> argv = new java.util.ArrayList<>(List.of(bin.resolve("panicmode").toString(), "certs"));
      Collections.addAll(argv, cmd);
      argv.addAll(List.of("--dir", ca.toString()));
      String out = run(Map.of(), argv.toArray(String[]::new));
      assertTrue(out.startsWith("0\n"), out);
    }
    Path secrets = Files.createDirectories(root.resolve("secrets"));
    for (String k : List.of("truststore.p12", "central.p12", "password", "operator.key")) {
      Files.copy(ca.resolve(k), secrets.resolve(k));
    }
    Files.writeString(secrets.resolve("api.token"), "", StandardCharsets.UTF_8);
    Path node = Files.createDirectories(root.resolve("node"));
    for (String d : List.of("out/agent", "out/central", "state/agent", "state/central")) {
      Files.createDirectories(root.resolve(d));
    }
    Map<String, String> env = new HashMap<>(Map.of(
        "NODE_NAME", "ip-10-0-0-7.ec2.internal",
        "BIND_IP", "10.1.2.3",
        "RENDER_TEMPLATES", templates.toString(),
        "RENDER_SECRETS", secrets.toString(),
        "RENDER_NODE", node.toString(),
        "RENDER_RESULTS", ca.resolve("results").toString(),
        "RENDER_OUT", root.resolve("out").toString(),
        "RENDER_STATE", root.resolve("state").toString()));
    String render = templates.resolve("render.sh").toString();

    // A node not enrolled yet: the error says what to put where.
    String unenrolled = run(env, "sh", render, "agent");
    assertNotEquals('0', unenrolled.charAt(0), unenrolled);
    assertTrue(unenrolled.contains("panicmode certs issue ip-10-0-0-7-ec2-internal"), unenrolled);

    String id = "ip-10-0-0-7-ec2-internal"; // the node name as PanicMode makes a host id of it
    Files.copy(ca.resolve(id + ".p12"), node.resolve(id + ".p12"));
    Files.copy(ca.resolve(id + ".result.key"), node.resolve(id + ".result.key"));
    String agent = run(env, "sh", render, "agent");
    assertTrue(agent.startsWith("0\n"), agent);
    PanicConfig a = checkProcess(root.resolve("out/agent"), "agent");
    assertEquals(id, a.node().id());
    assertEquals(id, BridgeClient.certifiedHost(inEtc(root.resolve("out/agent"), a.central().bridge().tls())),
        "the agent's certificate names its node.id, as the central bridge requires");
    assertEquals(64, Files.readString(root.resolve("out/agent/keys/command.key")).strip().length(),
        "a 256-bit command key made in the pod");
    assertOwner(root.resolve("state/agent"), 0, "700");

    // A second pod (or a restart) gets a command key of its own.
    byte[] firstKey = Files.readAllBytes(root.resolve("out/agent/keys/command.key"));
    assertTrue(run(env, "sh", render, "agent").startsWith("0\n"));
    assertFalse(java.util.Arrays.equals(firstKey, Files.readAllBytes(root.resolve("out/agent/keys/command.key"))));

    String refused = run(env, "sh", render, "central");
    assertNotEquals('0', refused.charAt(0), refused);
    assertTrue(refused.contains("api.token"), "the error names the empty Secret key: " + refused);

    Files.writeString(secrets.resolve("api.token"), "0123456789abcdef0123456789abcdef\n", StandardCharsets.UTF_8);
    String central = run(env, "sh", render, "central");
    assertTrue(central.startsWith("0\n"), central);
    PanicConfig c = checkProcess(root.resolve("out/central"), "central");
    assertEquals("10.1.2.3", c.central().bridge().bind());
    assertTrue(Files.isRegularFile(root.resolve("out/central/keys/results/" + id + ".result.pub")));
    assertOwner(root.resolve("state/central"), Repo.PANICMODE_UID, "700");

    env.put("BIND_IP", "10.1.2.3; rm -rf /");
    String bad = run(env, "sh", render, "central");
    assertNotEquals('0', bad.charAt(0), bad);
    assertTrue(bad.contains("BIND_IP"), bad);
  }

  /** The rendered /etc/panicmode of one process: valid config, working key stores, only its keys. */
  private static PanicConfig checkProcess(Path etc, String kind) throws Exception {
    Path file = etc.resolve(kind + ".yaml");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    for (String placeholder : List.of(Repo.TLS_PASSWORD_PLACEHOLDER, "@BIND_IP@", "@HOST_ID@")) {
      assertFalse(text.contains(placeholder), file + ": placeholder " + placeholder + " left");
    }
    PanicConfig c = Repo.parseConfig(text, file.toString());
    assertEquals(Repo.TIER_ROLES.get(kind), Set.copyOf(c.node().roles()));
    assertFalse(c.cluster().enabled(), kind + ": no cluster member");
    assertOwner(file, 0, "640");

    var tls = c.central().bridge().tls();
    KeyStore node = load(etc, tls.keyStore(), tls.keyStorePassword());
    assertTrue(Collections.list(node.aliases()).stream().anyMatch(a -> {
      try {
        return node.isKeyEntry(a);
      } catch (Exception e) {
        return false;
      }
    }), kind + ": node.p12 holds no key");
    KeyStore trust = load(etc, tls.trustStore(), tls.trustStorePassword());
    assertTrue(trust.size() >= 1, kind + ": empty trust store");

    Set<String> keys = new TreeSet<>();
    try (Stream<Path> s = Files.list(etc.resolve("keys"))) {
      s.forEach(p -> keys.add(p.getFileName().toString()));
    }
    assertEquals(new TreeSet<>(KEYS.get(kind)), keys, kind + ": keys present");
    for (String k : keys) {
      Path p = etc.resolve("keys/" + k);
      if (kind.equals("agent")) {
        assertOwner(p, 0, "600"); // the agent runs as root; nobody else reads its keys
        assertEquals(0, Files.getAttribute(p, "unix:gid"), p + ": group");
      } else if (k.equals("results")) {
        assertOwner(p, 0, "750");
      } else {
        assertOwner(p, 0, "640");
        assertEquals(Repo.PANICMODE_UID, Files.getAttribute(p, "unix:gid"), p + ": group");
      }
    }
    // Every key file the config names is there.
    for (String f : Stream.of(c.cluster().commandKeyFile(), c.cluster().operatorKeyFile(), c.httpApi().tokenFile(),
        c.cluster().resultKeyFile()).filter(java.util.Objects::nonNull).toList()) {
      assertTrue(Files.isRegularFile(inEtc(etc, f)), kind + ": " + f + " missing");
    }
    if (c.cluster().resultKeysDir() != null) {
      try (Stream<Path> pubs = Files.list(inEtc(etc, c.cluster().resultKeysDir()))) {
        assertTrue(pubs.anyMatch(p -> p.getFileName().toString().endsWith(".result.pub")), kind + ": no result public key");
      }
    }
    return c;
  }

  /** The TLS settings with the key stores where the rendered directory holds them. */
  private static TlsConfig inEtc(Path etc, TlsConfig tls) {
    return new TlsConfig(tls.enabled(), inEtc(etc, tls.keyStore()).toString(), tls.keyStorePassword(),
        inEtc(etc, tls.trustStore()).toString(), tls.trustStorePassword());
  }

  private static Path inEtc(Path etc, String absolute) {
    assertTrue(absolute.startsWith("/etc/panicmode/"), absolute);
    return etc.resolve(absolute.substring("/etc/panicmode/".length()));
  }

  private static KeyStore load(Path etc, String path, String password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(inEtc(etc, path))) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }

  private static void assertOwner(Path p, int uid, String mode) throws IOException {
    assertEquals(uid, Files.getAttribute(p, "unix:uid"), p + ": owner");
    int bits = (Integer) Files.getAttribute(p, "unix:mode") & 0777;
    assertEquals(mode, Integer.toOctalString(bits), p + ": mode");
  }
}
