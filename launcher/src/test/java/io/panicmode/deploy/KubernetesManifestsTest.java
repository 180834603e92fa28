package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PanicConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under k8s/ against the config files its ConfigMap holds: the fleet's two tiers,
 * agents (DaemonSet) that are no cluster members and reach the central tier (StatefulSet) only on
 * its bridge port.
 */
class KubernetesManifestsTest {
  static final String SAMPLE_IP = "10.1.2.3";
  static final String SAMPLE_HOST = "node-1";
  /** Every Hazelcast and clustered event-bus port of the port plan: none may be exposed anywhere. */
  static final Set<Integer> CLUSTER_PORTS = Set.of(5701, 5702, 5703, 5801, 5802, 5803);
  /** Workload container name to the process kind it runs (render.sh writes $out/<kind>/<kind>.yaml from <kind>.yaml). */
  static final Map<String, String> CONTAINERS = Map.of("agent", "agent", "central", "central");
  /** Manifests created by hand from real files, not by kustomize: applying them as they are would empty the real ones. */
  static final Set<String> MADE_FROM_FILES = Set.of("secret.yaml", "result-keys.yaml");

  private static final List<Map<String, Object>> objects = new ArrayList<>();
  private static final Map<String, List<String>> fileOf = new HashMap<>();
  private static String namespace;

  /** Loads every manifest once; other test classes (RenderScriptsTest) read the ConfigMap too. */
  static synchronized void load() {
    if (!objects.isEmpty()) return;
    for (Path p : Repo.list("k8s", ".yaml")) {
      String name = p.getFileName().toString();
      if (name.equals("kustomization.yaml")) continue;
      for (Map<String, Object> doc : Repo.yamlDocuments(Repo.read("k8s/" + name))) {
        objects.add(doc);
        fileOf.computeIfAbsent(name, k -> new ArrayList<>()).add(doc.get("kind") + "/" + Repo.at(doc, "metadata", "name"));
      }
    }
    namespace = (String) Repo.at(one("Namespace", null), "metadata", "name");
  }

  @BeforeAll
  static void loadAll() {
    load();
  }

  static List<Map<String, Object>> ofKind(String kind) {
    load();
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  static Map<String, Object> one(String kind, String name) {
    List<Map<String, Object>> found = ofKind(kind).stream()
        .filter(o -> name == null || name.equals(Repo.at(o, "metadata", "name"))).toList();
    assertEquals(1, found.size(), "expected one " + kind + (name == null ? "" : " " + name) + ", found " + found.size());
    return found.get(0);
  }

  static Map<String, Object> configMapData() {
    return Repo.map(one("ConfigMap", "panicmode-config").get("data"), "ConfigMap data");
  }

  static PanicConfig rendered(String kind) {
    String template = (String) configMapData().get(kind + ".yaml");
    assertNotNull(template, "ConfigMap has no " + kind + ".yaml");
    return Repo.parseConfig(template.replace("@BIND_IP@", SAMPLE_IP).replace("@HOST_ID@", SAMPLE_HOST),
        "k8s ConfigMap " + kind + ".yaml");
  }

  static Map<String, Object> podSpec(Map<String, Object> workload) {
    return Repo.map(Repo.at(workload, "spec", "template", "spec"), "pod spec");
  }

  static List<Map<String, Object>> containers(Map<String, Object> pod, String field) {
    return Repo.list(pod.get(field), field).stream().map(c -> Repo.map(c, field)).toList();
  }

  static Map<String, Object> container(Map<String, Object> pod, String name) {
    return containers(pod, "containers").stream().filter(c -> name.equals(c.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  @Test
  void everyObjectIsInTheNamespaceAndKustomizeListsEveryFileButThoseMadeFromFiles() {
    assertEquals("panicmode", namespace);
    for (Map<String, Object> o : objects) {
      if (o.get("kind").equals("Namespace")) continue;
      assertEquals(namespace, Repo.at(o, "metadata", "namespace"), o.get("kind") + " " + Repo.at(o, "metadata", "name"));
    }
    Set<String> listed = new HashSet<>(Repo.strings(Repo.yaml("k8s/kustomization.yaml").get("resources"), "resources"));
    Set<String> files = new TreeSet<>(fileOf.keySet());
    files.removeAll(MADE_FROM_FILES);
    assertEquals(files, listed);
    Set<String> kinds = new TreeSet<>();
    objects.forEach(o -> kinds.add((String) o.get("kind")));
    assertEquals(new TreeSet<>(Set.of("Namespace", "ConfigMap", "Secret", "Service", "DaemonSet", "StatefulSet",
        "NetworkPolicy")), kinds);
  }

  @Test
  void configMapConfigsValidateOnceRendered() {
    assertEquals(Set.of("agent.yaml", "central.yaml", "render.sh"), configMapData().keySet());
    for (String kind : Repo.TIER_ROLES.keySet()) {
      PanicConfig c = rendered(kind);
      assertEquals(Repo.TIER_ROLES.get(kind), new HashSet<>(c.node().roles()), kind);
      assertFalse(c.cluster().enabled(), kind + ": no Hazelcast in either tier");
      assertEquals(Repo.TLS_PASSWORD_PLACEHOLDER, c.central().bridge().tls().keyStorePassword(), kind + ": render.sh fills it in");
      assertEquals("/etc/panicmode/tls/node.p12", c.central().bridge().tls().keyStore(), kind);
      assertFalse(c.logging().file(), kind + ": the container log is the log");
    }
    assertEquals(SAMPLE_HOST, rendered("agent").node().id(), "the agent's host id is the node's, as its certificate names it");
    String script = (String) configMapData().get("render.sh");
    for (String placeholder : List.of("@BIND_IP@", "@HOST_ID@", Repo.TLS_PASSWORD_PLACEHOLDER)) {
      assertTrue(script.contains(placeholder), "render.sh replaces " + placeholder);
    }
  }

  @Test
  void agentsReachOnlyTheCentralBridgeThroughItsService() {
    Map<String, Object> sts = one("StatefulSet", null);
    String serviceName = (String) Repo.at(sts, "spec", "serviceName");
    Map<String, Object> bridgeService = one("Service", serviceName);
    PanicConfig central = rendered("central");
    PanicConfig agent = rendered("agent");
    int bridge = central.central().bridge().port();
    assertTrue(central.central().bridge().listen());
    assertEquals(SAMPLE_IP, central.central().bridge().bind(), "the bridge listens on the pod's address");
    assertTrue(agent.central().bridge().isAgent());
    assertFalse(agent.central().bridge().listen(), "an agent serves nothing");
    assertFalse(agent.httpApi().enabled(), "an agent opens no port");
    assertEquals(serviceName + "." + namespace + ".svc.cluster.local:" + bridge, agent.central().bridge().connect());
    assertEquals(Set.of(bridge), servicePorts(bridgeService, "port"));
    assertEquals(Set.of(bridge), servicePorts(bridgeService, "targetPort"));
    assertEquals(Repo.at(sts, "spec", "selector", "matchLabels"), Repo.at(bridgeService, "spec", "selector"));

    // No cluster port anywhere: not in a Service, a container, or the NetworkPolicy.
    Set<Integer> exposed = new HashSet<>();
    ofKind("Service").forEach(svc -> exposed.addAll(servicePorts(svc, "port")));
    for (String kind : List.of("DaemonSet", "StatefulSet")) {
      containers(podSpec(one(kind, null)), "containers").forEach(c -> exposed.addAll(containerPorts(c)));
    }
    exposed.addAll(policyPorts(one("NetworkPolicy", null)));
    assertEquals(Set.of(bridge, Repo.port(central.httpApi().bind())), exposed);
    assertTrue(java.util.Collections.disjoint(exposed, CLUSTER_PORTS));

    // Signed both ways: the agent signs its answers with its own node's key, the central api verifies them.
    assertEquals("/etc/panicmode/keys/result.key", agent.cluster().resultKeyFile());
    assertEquals("/etc/panicmode/keys/results", central.cluster().resultKeysDir());
    assertNull(central.cluster().commandKeyFile(), "the central tier cannot sign detector commands");
    assertTrue(agent.fleet().shareBans(), "bans reach the other agents through the central tier");
  }

  @Test
  void apiServiceReachesTheConfiguredApiPort() {
    Map<String, Object> api = one("Service", "panicmode-api");
    PanicConfig central = rendered("central");
    int apiPort = Repo.port(central.httpApi().bind());
    assertTrue(central.httpApi().enabled());
    assertEquals(Set.of(apiPort), servicePorts(api, "targetPort"));
    assertTrue(central.httpApi().bind().startsWith("0.0.0.0:"), "a Service reaches the pod address, not loopback");
    Map<String, Object> pod = podSpec(one("StatefulSet", null));
    Map<String, Object> c = container(pod, "central");
    assertTrue(containerPorts(c).contains(apiPort));
    assertEquals("/health", Repo.at(c, "readinessProbe", "httpGet", "path"));
  }

  @Test
  void workloadsRunTheRenderedConfigsWithMatchingPortsAndRoles() {
    Map<String, Object> ds = one("DaemonSet", null);
    Map<String, Object> sts = one("StatefulSet", null);
    for (Map<String, Object> workload : List.of(ds, sts)) {
      Map<String, Object> pod = podSpec(workload);
      Map<String, Object> render = containers(pod, "initContainers").get(0);
      List<String> renderCmd = Repo.strings(render.get("command"), "render.command");
      assertEquals(List.of("/bin/sh", "/templates/render.sh"), renderCmd.subList(0, 2));
      List<Map<String, Object>> main = containers(pod, "containers");
      assertEquals(1, main.size(), "one PanicMode process per pod");
      Map<String, Object> c = main.get(0);
      String kind = CONTAINERS.get((String) c.get("name"));
      assertNotNull(kind, "unknown container " + c.get("name"));
      assertEquals(kind, renderCmd.get(2), kind + " is rendered by the init container of its pod");
      List<String> args = Repo.strings(c.get("args"), kind + ".args");
      assertEquals("run", args.get(0));
      assertFalse(args.contains("--cluster"), kind + " joins no cluster");
      assertEquals("/etc/panicmode/" + kind + ".yaml", Repo.option(args, "--config"));
      PanicConfig cfg = rendered(kind);
      assertEquals(Repo.TIER_ROLES.get(kind), Repo.rolesArg(args), kind + ": --roles");
      Set<Integer> ports = containerPorts(c);
      assertEquals(kind.equals("agent") ? Set.of() : Set.of(cfg.central().bridge().port(), Repo.port(cfg.httpApi().bind())),
          ports, kind + ": containerPorts");
      envNames(c, kind);
      assertEquals(Repo.clusteredJvmFlags(), Repo.words(env(c, "PANICMODE_JVM_OPTS")), kind + ": JVM flags");
      // The rendered config lands where the container reads it.
      Map<String, String> mounts = mounts(c);
      assertEquals("etc-" + kind, mounts.get("/etc/panicmode"), kind + ": /etc/panicmode volume");
      assertEquals("etc-" + kind, mountsByVolume(render).get("/out/" + kind), "render writes what " + kind + " reads");
      for (String p : List.of(cfg.storage().incidentDb(), cfg.storage().stateFile(), cfg.storage().snapshotDir() + "/x")) {
        assertTrue(mounts.keySet().stream().anyMatch(m -> p.startsWith(m + "/")), kind + ": no volume under " + p);
      }
      checkVolumes(pod);
    }
    assertEquals(true, Repo.at(podSpec(ds), "hostNetwork"), "agents act in the node's network namespace");
    assertEquals(true, Repo.at(podSpec(ds), "hostPID"), "agents see and freeze the node's processes");
    assertEquals("ClusterFirstWithHostNet", Repo.at(podSpec(ds), "dnsPolicy"), "agents resolve the central Service");
    assertEquals("spec.nodeName", Repo.at(env(containers(podSpec(ds), "initContainers").get(0)), "NODE_NAME", "valueFrom", "fieldRef", "fieldPath"));
    assertEquals("status.podIP", Repo.at(env(containers(podSpec(sts), "initContainers").get(0)), "BIND_IP", "valueFrom", "fieldRef", "fieldPath"));
    assertEquals(1, Repo.at(sts, "spec", "replicas"), "one SQLite writer");
    assertEquals("host-log", mounts(container(podSpec(ds), "agent")).get("/host/var/log"));
    assertEquals("/var/log", Repo.at(volumes(podSpec(ds)).get("host-log"), "hostPath", "path"), "the node's logs");
    for (String log : rendered("agent").collector().authLogs()) assertTrue(log.startsWith("/host/var/log/"), log);
  }

  @Test
  void onlyTheAgentContainerHasNetAdmin() {
    for (String kind : List.of("DaemonSet", "StatefulSet")) {
      Map<String, Object> pod = podSpec(one(kind, null));
      List<Map<String, Object>> all = new ArrayList<>(containers(pod, "containers"));
      all.addAll(containers(pod, "initContainers"));
      for (Map<String, Object> c : all) {
        String name = (String) c.get("name");
        Map<String, Object> sc = Repo.map(c.get("securityContext"), name + ".securityContext");
        List<String> add = Repo.strings(Repo.at(sc, "capabilities", "add"), "add");
        assertEquals(List.of("ALL"), Repo.strings(Repo.at(sc, "capabilities", "drop"), "drop"), name);
        assertEquals(false, sc.get("allowPrivilegeEscalation"), name);
        assertEquals(true, sc.get("readOnlyRootFilesystem"), name);
        assertFalse(Boolean.TRUE.equals(sc.get("privileged")), name);
        assertEquals(name.equals("agent"), add.contains("NET_ADMIN"), name + ": NET_ADMIN");
        if (name.equals("agent")) {
          assertEquals(Set.of("NET_ADMIN", "KILL"), new HashSet<>(add));
          assertEquals(0, sc.get("runAsUser"));
        } else if (!name.equals("render")) {
          assertTrue(add.isEmpty(), name + " gets no capability");
          assertEquals(Repo.PANICMODE_UID, sc.get("runAsUser"), name);
          assertEquals(true, sc.get("runAsNonRoot"), name);
        }
      }
    }
    for (String kind : List.of("DaemonSet", "StatefulSet")) {
      assertEquals("RuntimeDefault", Repo.at(podSpec(one(kind, null)), "securityContext", "seccompProfile", "type"), kind);
    }
  }

  @Test
  void secretsMountOnlyWhatEachPodUses() {
    Map<String, Object> secret = one("Secret", null);
    Set<String> keys = Repo.map(secret.get("data"), "Secret data").keySet();
    Map<String, Set<String>> expected = Map.of(
        "DaemonSet", Set.of("truststore.p12", "password", "operator.key"),
        "StatefulSet", Set.of("truststore.p12", "central.p12", "password", "operator.key", "api.token"));
    Set<String> union = new HashSet<>();
    String script = (String) configMapData().get("render.sh");
    expected.forEach((kind, want) -> {
      Map<String, Object> pod = podSpec(one(kind, null));
      Map<String, Object> vol = volumes(pod).get("fleet");
      assertEquals(Repo.at(secret, "metadata", "name"), Repo.at(vol, "secret", "secretName"));
      Set<String> items = new HashSet<>();
      for (Object i : Repo.list(Repo.at(vol, "secret", "items"), "items")) {
        Map<String, Object> item = Repo.map(i, "item");
        assertEquals(item.get("key"), item.get("path"), "render.sh reads each secret under its key name");
        items.add((String) item.get("key"));
      }
      assertEquals(want, items, kind + ": secret items");
      assertTrue(keys.containsAll(items), kind + " mounts keys the Secret does not have");
      for (String k : items) assertTrue(script.contains(k), "render.sh never uses " + k);
      union.addAll(items);
    });
    assertEquals(keys, union, "Secret keys no pod uses");
    assertFalse(keys.contains("ca.p12"), "the CA's private key stays out of the cluster");
    assertFalse(keys.stream().anyMatch(k -> k.startsWith("agent")), "no agent certificate is shared by every node");
  }

  @Test
  void eachAgentHoldsOnlyItsOwnNodesCertificate() {
    Map<String, Object> pod = podSpec(one("DaemonSet", null));
    Map<String, Object> identity = volumes(pod).get("node-identity");
    assertEquals("/etc/panicmode-node", Repo.at(identity, "hostPath", "path"));
    assertEquals("Directory", Repo.at(identity, "hostPath", "type"), "an unenrolled node does not start an agent");
    Map<String, Object> render = containers(pod, "initContainers").get(0);
    assertEquals("node-identity", mountsByVolume(render).get("/node"));
    assertTrue(Repo.list(render.get("volumeMounts"), "volumeMounts").stream()
        .map(m -> Repo.map(m, "mount")).filter(m -> "node-identity".equals(m.get("name")))
        .allMatch(m -> Boolean.TRUE.equals(m.get("readOnly"))));
    assertFalse(mounts(container(pod, "agent")).containsValue("node-identity"), "only render reads the node's directory");
    String script = (String) configMapData().get("render.sh");
    assertTrue(script.contains("$node/$id.p12") && script.contains("$node/$id.result.key"), "render picks this node's files");

    // The central api learns every agent's public result key from a ConfigMap, through render.
    Map<String, Object> sts = podSpec(one("StatefulSet", null));
    Map<String, Object> keys = volumes(sts).get("result-keys");
    assertEquals("panicmode-result-keys", Repo.at(keys, "configMap", "name"));
    assertEquals("result-keys", mountsByVolume(containers(sts, "initContainers").get(0)).get("/results"));
  }

  @Test
  void centralDataLivesOnAPersistentVolumeClaim() {
    Map<String, Object> sts = one("StatefulSet", null);
    List<Object> claims = Repo.list(Repo.at(sts, "spec", "volumeClaimTemplates"), "volumeClaimTemplates");
    assertEquals(1, claims.size());
    String claim = (String) Repo.at(Repo.map(claims.get(0), "claim"), "metadata", "name");
    PanicConfig central = rendered("central");
    String dbDir = central.storage().incidentDb().substring(0, central.storage().incidentDb().lastIndexOf('/'));
    assertEquals(claim, mounts(container(podSpec(sts), "central")).get(dbDir), "SQLite on the claim");
    assertEquals(Repo.PANICMODE_UID, Repo.at(podSpec(sts), "securityContext", "fsGroup"));
  }

  @Test
  void networkPolicyAdmitsTheBridgeFromNodesAndTheApiFromPods() {
    Map<String, Object> np = one("NetworkPolicy", null);
    PanicConfig central = rendered("central");
    int bridge = central.central().bridge().port();
    int api = Repo.port(central.httpApi().bind());
    for (Object r : Repo.list(Repo.at(np, "spec", "ingress"), "ingress")) {
      Map<String, Object> rule = Repo.map(r, "rule");
      Set<Integer> ports = new HashSet<>();
      for (Object p : Repo.list(rule.get("ports"), "ports")) ports.add((Integer) Repo.map(p, "port").get("port"));
      Map<String, Object> from = Repo.map(Repo.list(rule.get("from"), "from").get(0), "from");
      if (ports.contains(bridge)) {
        assertEquals(Set.of(bridge), ports, "the bridge rule admits only the bridge");
        assertNotNull(from.get("ipBlock"), "agents use the host network: the bridge is admitted from node addresses");
      } else {
        assertEquals(Set.of(api), ports);
        assertNotNull(from.get("podSelector"));
      }
    }
    assertEquals(Set.of(bridge, api), policyPorts(np));
    assertEquals(Repo.at(one("StatefulSet", null), "spec", "selector", "matchLabels"), Repo.at(np, "spec", "podSelector", "matchLabels"));
  }

  // helpers

  private static void checkVolumes(Map<String, Object> pod) {
    Map<String, Map<String, Object>> vols = volumes(pod);
    Set<String> claims = new HashSet<>();
    List<Map<String, Object>> all = new ArrayList<>(containers(pod, "containers"));
    all.addAll(containers(pod, "initContainers"));
    Set<String> used = new HashSet<>();
    for (Map<String, Object> c : all) {
      for (String v : mountsByVolume(c).values()) {
        used.add(v);
        if (!vols.containsKey(v)) claims.add(v);
      }
    }
    for (Map<String, Object> v : vols.values()) {
      Object cm = Repo.at(v, "configMap", "name");
      if (cm != null) one("ConfigMap", (String) cm);
    }
    // A mount that is not a pod volume must be a claim template of the StatefulSet.
    for (String c : claims) assertEquals("data", c, "mount of an undeclared volume " + c);
    assertTrue(used.containsAll(vols.keySet()), "declared volumes nobody mounts: " + vols.keySet());
  }

  private static Map<String, Map<String, Object>> volumes(Map<String, Object> pod) {
    Map<String, Map<String, Object>> m = new HashMap<>();
    for (Object o : Repo.list(pod.get("volumes"), "volumes")) {
      Map<String, Object> v = Repo.map(o, "volume");
      m.put((String) v.get("name"), v);
    }
    return m;
  }

  /** mountPath to volume name. */
  private static Map<String, String> mounts(Map<String, Object> c) {
    return mountsByVolume(c);
  }

  private static Map<String, String> mountsByVolume(Map<String, Object> c) {
    Map<String, String> m = new HashMap<>();
    for (Object o : Repo.list(c.get("volumeMounts"), "volumeMounts")) {
      Map<String, Object> vm = Repo.map(o, "volumeMount");
      m.put((String) vm.get("mountPath"), (String) vm.get("name"));
    }
    return m;
  }

  private static Set<Integer> containerPorts(Map<String, Object> c) {
    Set<Integer> s = new HashSet<>();
    for (Object o : Repo.list(c.get("ports"), "ports")) s.add((Integer) Repo.map(o, "port").get("containerPort"));
    return s;
  }

  private static Set<Integer> policyPorts(Map<String, Object> np) {
    Set<Integer> ports = new HashSet<>();
    for (Object rule : Repo.list(Repo.at(np, "spec", "ingress"), "ingress")) {
      for (Object p : Repo.list(Repo.map(rule, "rule").get("ports"), "ports")) ports.add((Integer) Repo.map(p, "port").get("port"));
    }
    return ports;
  }

  private static Set<Integer> servicePorts(Map<String, Object> svc, String field) {
    Set<Integer> s = new HashSet<>();
    for (Object o : Repo.list(Repo.at(svc, "spec", "ports"), "ports")) s.add((Integer) Repo.map(o, "port").get(field));
    return s;
  }

  private static Map<String, Object> env(Map<String, Object> c) {
    Map<String, Object> m = new HashMap<>();
    for (Object o : Repo.list(c.get("env"), "env")) {
      Map<String, Object> e = Repo.map(o, "env");
      m.put((String) e.get("name"), e);
    }
    return m;
  }

  private static String env(Map<String, Object> c, String name) {
    Object v = Repo.at(env(c), name, "value");
    assertNotNull(v, c.get("name") + ": env " + name + " not set");
    return (String) v;
  }

  private static void envNames(Map<String, Object> c, String kind) {
    for (String name : env(c).keySet()) {
      assertTrue(Repo.envNamesPanicModeReads().contains(name), kind + ": PanicMode never reads " + name);
    }
  }
}
