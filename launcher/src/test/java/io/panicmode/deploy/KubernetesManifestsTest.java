package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** Every manifest under k8s/ against the config files its ConfigMap holds. */
class KubernetesManifestsTest {
  static final String SAMPLE_IP = "10.1.2.3";
  /** Workload container name to the process kind it runs. */
  static final Map<String, String> CONTAINERS = Map.of("action", "action", "sensor", "sensor", "central", "central");
  /** Rendered config file name (render.sh writes $out/<kind>/<kind>.yaml) to its template key. */
  static final Map<String, String> TEMPLATES = Map.of(
      "action", "agent-action.yaml", "sensor", "agent-sensor.yaml", "central", "central.yaml");

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
    String template = (String) configMapData().get(TEMPLATES.get(kind));
    assertNotNull(template, "ConfigMap has no " + TEMPLATES.get(kind));
    return Repo.parseConfig(template.replace("@BIND_IP@", SAMPLE_IP), "k8s ConfigMap " + TEMPLATES.get(kind));
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
  void everyObjectIsInTheNamespaceAndKustomizeListsEveryFileButTheSecret() {
    assertEquals("panicmode", namespace);
    for (Map<String, Object> o : objects) {
      if (o.get("kind").equals("Namespace")) continue;
      assertEquals(namespace, Repo.at(o, "metadata", "namespace"), o.get("kind") + " " + Repo.at(o, "metadata", "name"));
    }
    Set<String> listed = new HashSet<>(Repo.strings(Repo.yaml("k8s/kustomization.yaml").get("resources"), "resources"));
    Set<String> files = new TreeSet<>(fileOf.keySet());
    files.remove("secret.yaml"); // created from real files by kubectl; applying the empty one would clobber it
    assertEquals(files, listed);
    Set<String> kinds = new TreeSet<>();
    objects.forEach(o -> kinds.add((String) o.get("kind")));
    assertEquals(new TreeSet<>(Set.of("Namespace", "ConfigMap", "Secret", "Service", "DaemonSet", "StatefulSet",
        "NetworkPolicy")), kinds);
  }

  @Test
  void configMapConfigsValidateOnceRendered() {
    assertEquals(Set.of("agent-action.yaml", "agent-sensor.yaml", "central.yaml", "render.sh"), configMapData().keySet());
    for (String kind : TEMPLATES.keySet()) {
      PanicConfig c = rendered(kind);
      assertEquals(Repo.ROLES.get(kind), new HashSet<>(c.node().roles()), kind);
      assertEquals(Repo.PORTS.get(kind), List.of(c.cluster().port(), c.cluster().eventBusPort()), kind);
      assertEquals(SAMPLE_IP, c.cluster().bind(), kind);
      assertTrue(c.cluster().tls().enabled(), kind);
      assertEquals(Repo.TLS_PASSWORD_PLACEHOLDER, c.cluster().tls().keyStorePassword(), kind + ": render.sh fills it in");
      assertFalse(c.logging().file(), kind + ": the container log is the log");
    }
    String script = (String) configMapData().get("render.sh");
    assertTrue(script.contains("@BIND_IP@") && script.contains(Repo.TLS_PASSWORD_PLACEHOLDER),
        "render.sh replaces both placeholders");
  }

  @Test
  void agentsFindTheCentralNodeThroughTheHeadlessService() {
    Map<String, Object> sts = one("StatefulSet", null);
    String stsName = (String) Repo.at(sts, "metadata", "name");
    String serviceName = (String) Repo.at(sts, "spec", "serviceName");
    Map<String, Object> headless = one("Service", serviceName);
    assertEquals("None", Repo.at(headless, "spec", "clusterIP"));
    assertEquals(true, Repo.at(headless, "spec", "publishNotReadyAddresses"), "members must resolve before ready");
    PanicConfig central = rendered("central");
    String dns = stsName + "-0." + serviceName + "." + namespace + ".svc.cluster.local:" + central.cluster().port();
    for (String kind : List.of("action", "sensor")) {
      PanicConfig agent = rendered(kind);
      assertTrue(agent.cluster().members().contains(dns), kind + " lists " + dns + ": " + agent.cluster().members());
      String peer = kind.equals("action") ? "sensor" : "action";
      assertTrue(agent.cluster().members().contains(SAMPLE_IP + ":" + Repo.PORTS.get(peer).get(0)),
          kind + " lists its pod partner, so local protection needs no central node");
      assertEquals(central.cluster().name(), agent.cluster().name());
    }
    assertEquals(Set.of(central.cluster().port(), central.cluster().eventBusPort()), servicePorts(headless, "targetPort"));
    assertEquals(Set.of(central.cluster().port(), central.cluster().eventBusPort()), servicePorts(headless, "port"));
    assertEquals(Repo.at(sts, "spec", "selector", "matchLabels"), Repo.at(headless, "spec", "selector"));
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
    Map<String, String> modeOf = Map.of("action", "agent", "sensor", "agent", "central", "central");
    for (Map<String, Object> workload : List.of(ds, sts)) {
      Map<String, Object> pod = podSpec(workload);
      Map<String, Object> render = containers(pod, "initContainers").get(0);
      List<String> renderCmd = Repo.strings(render.get("command"), "render.command");
      assertEquals(List.of("/bin/sh", "/templates/render.sh"), renderCmd.subList(0, 2));
      for (Map<String, Object> c : containers(pod, "containers")) {
        String kind = CONTAINERS.get((String) c.get("name"));
        assertNotNull(kind, "unknown container " + c.get("name"));
        assertEquals(modeOf.get(kind), renderCmd.get(2), kind + " is rendered by the init container of its pod");
        List<String> args = Repo.strings(c.get("args"), kind + ".args");
        assertEquals("run", args.get(0));
        assertTrue(args.contains("--cluster"));
        assertEquals("/etc/panicmode/" + kind + ".yaml", Repo.option(args, "--config"));
        PanicConfig cfg = rendered(kind);
        assertEquals(Repo.ROLES.get(kind), Repo.rolesArg(args), kind + ": --roles");
        Set<Integer> ports = containerPorts(c);
        assertTrue(ports.containsAll(Set.of(cfg.cluster().port(), cfg.cluster().eventBusPort())),
            kind + ": containerPorts " + ports + " miss the config's cluster ports");
        envNames(c, kind);
        assertEquals(Repo.clusteredJvmFlags(), Repo.words(env(c, "PANICMODE_JVM_OPTS")), kind + ": JVM flags");
        // The rendered config lands where the container reads it.
        Map<String, String> mounts = mounts(c);
        String etc = mounts.get("/etc/panicmode");
        assertEquals("etc-" + kind, etc, kind + ": /etc/panicmode volume");
        assertEquals("etc-" + kind, mountsByVolume(render).get("/out/" + kind), "render writes what " + kind + " reads");
        for (String p : List.of(cfg.storage().incidentDb(), cfg.storage().stateFile(), cfg.storage().snapshotDir() + "/x")) {
          assertTrue(mounts.keySet().stream().anyMatch(m -> p.startsWith(m + "/")), kind + ": no volume under " + p);
        }
      }
      checkVolumes(pod);
    }
    assertEquals(true, Repo.at(podSpec(ds), "hostNetwork"), "agents act in the node's network namespace");
    assertEquals(true, Repo.at(podSpec(ds), "hostPID"), "agents see and freeze the node's processes");
    assertEquals("ClusterFirstWithHostNet", Repo.at(podSpec(ds), "dnsPolicy"), "agents resolve the headless Service");
    assertEquals("status.hostIP", Repo.at(env(containers(podSpec(ds), "initContainers").get(0)), "BIND_IP", "valueFrom", "fieldRef", "fieldPath"));
    assertEquals("status.podIP", Repo.at(env(containers(podSpec(sts), "initContainers").get(0)), "BIND_IP", "valueFrom", "fieldRef", "fieldPath"));
    assertEquals(1, Repo.at(sts, "spec", "replicas"), "one SQLite writer");
  }

  @Test
  void onlyTheActionContainerHasNetAdmin() {
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
        assertEquals(name.equals("action"), add.contains("NET_ADMIN"), name + ": NET_ADMIN");
        if (name.equals("action")) {
          assertEquals(Set.of("NET_ADMIN", "KILL"), new HashSet<>(add));
          assertEquals(0, sc.get("runAsUser"));
        } else if (!name.equals("render")) {
          assertTrue(add.isEmpty(), name + " gets no capability");
          assertEquals(Repo.PANICMODE_UID, sc.get("runAsUser"), name);
          assertEquals(true, sc.get("runAsNonRoot"), name);
        }
      }
    }
    assertEquals(List.of(4), Repo.at(podSpec(one("DaemonSet", null)), "securityContext", "supplementalGroups"),
        "group adm reads the node's auth log");
    for (String kind : List.of("DaemonSet", "StatefulSet")) {
      assertEquals("RuntimeDefault", Repo.at(podSpec(one(kind, null)), "securityContext", "seccompProfile", "type"), kind);
    }
  }

  @Test
  void secretsMountOnlyWhatEachPodUses() {
    Map<String, Object> secret = one("Secret", null);
    Set<String> keys = Repo.map(secret.get("data"), "Secret data").keySet();
    Map<String, Set<String>> expected = Map.of(
        "DaemonSet", Set.of("truststore.p12", "agent.p12", "password", "operator.key"),
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
  void networkPolicyAdmitsTheCentralNodesPorts() {
    Map<String, Object> np = one("NetworkPolicy", null);
    PanicConfig central = rendered("central");
    Set<Integer> ports = new HashSet<>();
    for (Object rule : Repo.list(Repo.at(np, "spec", "ingress"), "ingress")) {
      for (Object p : Repo.list(Repo.map(rule, "rule").get("ports"), "ports")) ports.add((Integer) Repo.map(p, "port").get("port"));
    }
    assertEquals(Set.of(central.cluster().port(), central.cluster().eventBusPort(), Repo.port(central.httpApi().bind())), ports);
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
