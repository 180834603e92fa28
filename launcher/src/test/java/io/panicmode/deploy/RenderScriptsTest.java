package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.config.PanicConfig;
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
 * Runs the scripts that turn the shipped templates into each process's /etc/panicmode — the
 * compose setup (packaging/compose/setup.sh) and the Kubernetes init step (render.sh in the
 * ConfigMap) — against a temporary tree, with the real {@code panicmode certs}. The result must
 * validate, open its key stores with the password it was given, and hold only the keys that
 * process uses, owned as the process needs.
 */
class RenderScriptsTest {
  /** Keys each process may hold: the command key signs/verifies detector commands, the operator key manual ones. */
  static final Map<String, Set<String>> KEYS = Map.of(
      "action", Set.of("command.key", "operator.key"),
      "sensor", Set.of("command.key"),
      "central", Set.of("operator.key", "api.token", "central.command.key"));
  /**
   * Compose also renders the result keys: the private one for the action process only, the public
   * ones (directory {@code results}) for the processes that verify results.
   */
  static final Map<String, Set<String>> COMPOSE_KEYS = Map.of(
      "action", Set.of("command.key", "operator.key", "result.key"),
      "sensor", Set.of("command.key", "results"),
      "central", Set.of("operator.key", "api.token", "central.command.key", "results"));

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
  void composeSetupRendersEachProcessWithOnlyItsKeys() throws Exception {
    Path root = tmp.resolve("compose");
    Map<String, String> templates = Map.of(
        "action", "packaging/etc/panicmode/action.yaml",
        "sensor", "packaging/compose/sensor.yaml",
        "central", "packaging/etc/panicmode/central.yaml");
    Files.createDirectories(root.resolve("templates"));
    Files.createDirectories(root.resolve("ca"));
    for (var e : templates.entrySet()) {
      Files.copy(Repo.path(e.getValue()), root.resolve("templates/" + e.getKey() + ".yaml"));
      for (String d : List.of("out", "state", "logs")) Files.createDirectories(root.resolve(d + "/" + e.getKey()));
    }
    Map<String, String> env = Map.of("SETUP_ROOT", root.toString());
    String script = Repo.path("packaging/compose/setup.sh").toString();
    String first = run(env, "sh", script);
    assertTrue(first.startsWith("0\n"), first);
    for (String kind : templates.keySet()) checkProcess(root.resolve("out/" + kind), kind, COMPOSE_KEYS);
    assertOwner(root.resolve("state/action"), 0, "700");
    assertOwner(root.resolve("logs/action"), 0, "700");
    for (String kind : List.of("sensor", "central")) {
      assertOwner(root.resolve("state/" + kind), Repo.PANICMODE_UID, "700");
      assertOwner(root.resolve("logs/" + kind), Repo.PANICMODE_UID, "700");
    }
    // One host: the sensor and the action process share this host's command key.
    assertArrayEquals(Files.readAllBytes(root.resolve("out/action/keys/command.key")),
        Files.readAllBytes(root.resolve("out/sensor/keys/command.key")));

    // Every `docker compose up` runs setup again: it keeps the CA and re-renders.
    byte[] ca = Files.readAllBytes(root.resolve("ca/ca.p12"));
    String second = run(env, "sh", script);
    assertTrue(second.startsWith("0\n"), second);
    assertArrayEquals(ca, Files.readAllBytes(root.resolve("ca/ca.p12")), "the fleet CA must never be replaced");
    for (String kind : templates.keySet()) checkProcess(root.resolve("out/" + kind), kind, COMPOSE_KEYS);

    // A CA volume from before result keys gets them on the next run, with the same CA.
    Files.delete(root.resolve("ca/node.result.key"));
    String upgraded = run(env, "sh", script);
    assertTrue(upgraded.startsWith("0\n"), upgraded);
    assertArrayEquals(ca, Files.readAllBytes(root.resolve("ca/ca.p12")));
    for (String kind : templates.keySet()) checkProcess(root.resolve("out/" + kind), kind, COMPOSE_KEYS);
  }

  @Test
  void kubernetesRenderWritesAgentAndCentralAndRefusesEmptySecrets() throws Exception {
    Map<String, Object> data = KubernetesManifestsTest.configMapData();
    Path root = tmp.resolve("k8s");
    Path templates = Files.createDirectories(root.resolve("templates"));
    for (String t : List.of("agent-action.yaml", "agent-sensor.yaml", "central.yaml", "render.sh")) {
      Files.writeString(templates.resolve(t), (String) data.get(t), StandardCharsets.UTF_8);
    }
    // The Secret's files, made as secret.yaml's header says.
    Path ca = root.resolve("fleet-ca");
    for (String[] cmd : List.of(new String[] {"init"}, new String[] {"issue", "agent"}, new String[] {"issue", "central"})) {
      List<String> argv = new java.util.ArrayList<>(List.of(bin.resolve("panicmode").toString(), "certs"));
      Collections.addAll(argv, cmd);
      argv.addAll(List.of("--dir", ca.toString()));
      String out = run(Map.of(), argv.toArray(String[]::new));
      assertTrue(out.startsWith("0\n"), out);
    }
    Path secrets = Files.createDirectories(root.resolve("secrets"));
    for (String k : List.of("truststore.p12", "agent.p12", "central.p12", "password", "operator.key")) {
      Files.copy(ca.resolve(k), secrets.resolve(k));
    }
    Files.writeString(secrets.resolve("api.token"), "", StandardCharsets.UTF_8);
    for (String d : List.of("out/action", "out/sensor", "out/central", "state/action", "state/sensor", "state/central")) {
      Files.createDirectories(root.resolve(d));
    }
    Map<String, String> env = new HashMap<>(Map.of(
        "BIND_IP", "10.1.2.3",
        "RENDER_TEMPLATES", templates.toString(),
        "RENDER_SECRETS", secrets.toString(),
        "RENDER_OUT", root.resolve("out").toString(),
        "RENDER_STATE", root.resolve("state").toString()));
    String render = templates.resolve("render.sh").toString();

    String agent = run(env, "sh", render, "agent");
    assertTrue(agent.startsWith("0\n"), agent);
    PanicConfig action = checkProcess(root.resolve("out/action"), "action", KEYS);
    checkProcess(root.resolve("out/sensor"), "sensor", KEYS);
    assertEquals("10.1.2.3", action.cluster().bind());
    assertTrue(action.cluster().members().contains("10.1.2.3:5702"));
    assertArrayEquals(Files.readAllBytes(root.resolve("out/action/keys/command.key")),
        Files.readAllBytes(root.resolve("out/sensor/keys/command.key")));
    assertEquals(64, Files.readString(root.resolve("out/action/keys/command.key")).strip().length(),
        "a 256-bit command key made in the pod");
    assertOwner(root.resolve("state/action"), 0, "700");
    assertOwner(root.resolve("state/sensor"), Repo.PANICMODE_UID, "700");

    // A second pod (or a restart) gets a key of its own.
    byte[] firstKey = Files.readAllBytes(root.resolve("out/action/keys/command.key"));
    assertTrue(run(env, "sh", render, "agent").startsWith("0\n"));
    assertFalse(java.util.Arrays.equals(firstKey, Files.readAllBytes(root.resolve("out/action/keys/command.key"))));

    String refused = run(env, "sh", render, "central");
    assertNotEquals('0', refused.charAt(0), refused);
    assertTrue(refused.contains("api.token"), "the error names the empty Secret key: " + refused);

    Files.writeString(secrets.resolve("api.token"), "0123456789abcdef0123456789abcdef\n", StandardCharsets.UTF_8);
    String central = run(env, "sh", render, "central");
    assertTrue(central.startsWith("0\n"), central);
    PanicConfig c = checkProcess(root.resolve("out/central"), "central", KEYS);
    assertEquals("10.1.2.3", c.cluster().bind());
    assertOwner(root.resolve("state/central"), Repo.PANICMODE_UID, "700");

    env.put("BIND_IP", "10.1.2.3; rm -rf /");
    String bad = run(env, "sh", render, "central");
    assertNotEquals('0', bad.charAt(0), bad);
    assertTrue(bad.contains("BIND_IP"), bad);
  }

  /** The rendered /etc/panicmode of one process: valid config, working key stores, only its keys. */
  private static PanicConfig checkProcess(Path etc, String kind, Map<String, Set<String>> expectedKeys) throws Exception {
    Path file = etc.resolve(kind + ".yaml");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertFalse(text.contains(Repo.TLS_PASSWORD_PLACEHOLDER), file + ": placeholder left");
    assertFalse(text.contains("@BIND_IP@"), file + ": placeholder left");
    PanicConfig c = Repo.parseConfig(text, file.toString());
    assertEquals(Repo.ROLES.get(kind), Set.copyOf(c.node().roles()));
    assertOwner(file, 0, "640");

    KeyStore node = load(etc, c.cluster().tls().keyStore(), c.cluster().tls().keyStorePassword());
    assertTrue(Collections.list(node.aliases()).stream().anyMatch(a -> {
      try {
        return node.isKeyEntry(a);
      } catch (Exception e) {
        return false;
      }
    }), kind + ": node.p12 holds no key");
    KeyStore trust = load(etc, c.cluster().tls().trustStore(), c.cluster().tls().trustStorePassword());
    assertTrue(trust.size() >= 1, kind + ": empty trust store");

    Set<String> keys = new TreeSet<>();
    try (Stream<Path> s = Files.list(etc.resolve("keys"))) {
      s.forEach(p -> keys.add(p.getFileName().toString()));
    }
    assertEquals(new TreeSet<>(expectedKeys.get(kind)), keys, kind + ": keys present");
    for (String k : keys) {
      Path p = etc.resolve("keys/" + k);
      switch (k) {
        case "result.key" -> {
          assertOwner(p, 0, "600"); // the action process runs as root; nobody else reads it
          assertEquals(0, Files.getAttribute(p, "unix:gid"), p + ": group");
        }
        case "results" -> assertOwner(p, 0, "750");
        default -> {
          assertOwner(p, 0, "640");
          assertEquals(Repo.PANICMODE_UID, Files.getAttribute(p, "unix:gid"), p + ": group");
        }
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
