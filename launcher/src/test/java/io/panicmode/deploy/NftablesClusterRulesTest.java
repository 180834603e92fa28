package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.config.PanicConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** packaging/nftables/panicmode-cluster.nft names the ports and members the configs use, and nft loads it. */
class NftablesClusterRulesTest {
  static final String FILE = "packaging/nftables/panicmode-cluster.nft";

  static Set<String> setElements(String set) {
    Matcher m = Pattern.compile("(?s)set " + set + " \\{.*?elements = \\{([^}]*)\\}").matcher(Repo.read(FILE));
    assertTrue(m.find(), "set " + set + " has no elements");
    return new TreeSet<>(Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
  }

  @Test
  void portsAreExactlyThePortPlan() {
    Set<String> plan = new TreeSet<>();
    Repo.PORTS.values().forEach(p -> p.forEach(x -> plan.add(String.valueOf(x))));
    assertEquals(plan, setElements("cluster_ports"));
  }

  @Test
  void everyExampleFleetMemberIsAdmitted() {
    Set<String> fleet = setElements("fleet_v4");
    for (String f : List.of("config/examples/fleet-agent-action.yaml", "config/examples/fleet-agent.yaml",
        "config/examples/central-node.yaml")) {
      PanicConfig c = Repo.config(f);
      assertTrue(fleet.contains(c.cluster().bind()), f + ": " + c.cluster().bind() + " is not in fleet_v4");
      for (String m : c.cluster().members()) {
        String host = m.substring(0, m.lastIndexOf(':'));
        assertTrue(fleet.contains(host), f + ": member " + host + " is not in fleet_v4");
      }
    }
  }

  @Test
  void onlyMemberUsersMayConnect() {
    assertEquals(Set.of("0", "panicmode"), setElements("member_uids"));
    String text = Repo.read(FILE);
    assertTrue(text.contains("tcp dport @cluster_ports meta skuid != @member_uids counter reject with tcp reset"));
    assertTrue(text.contains("tcp dport @cluster_ports counter drop"), "unlisted sources are dropped");
    assertTrue(!text.contains("table inet panicmode {"), "the ban backend's table is left alone");
  }

  /**
   * Loads the file twice in a fresh network namespace (reloading must replace, not fail), then
   * shows the output rule at work: a connection to a cluster port from a uid outside
   * member_uids is reset by the rule, one from root is not.
   */
  @Test
  void nftLoadsItAndRejectsOtherUsers(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft")),
        "nft is not installed");
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a network namespace");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv is not installed");
    // The test host has no user panicmode; an unused uid stands in for it, and 65534 is the outsider.
    Path rules = dir.resolve("rules.nft");
    Files.writeString(rules, Repo.read(FILE).replace("{ 0, panicmode }", "{ 0, 54321 }"), StandardCharsets.UTF_8);
    String script = String.join("\n",
        "set -e",
        "ip link set lo up",
        "nft -f " + rules,
        "nft -f " + rules,
        "setpriv --reuid=65534 --regid=65534 --clear-groups bash -c 'exec 3<>/dev/tcp/127.0.0.1/5701' 2>/dev/null && exit 3",
        "bash -c 'exec 3<>/dev/tcp/127.0.0.1/5801' 2>/dev/null && exit 4",
        "nft list chain inet panicmode_cluster output",
        "");
    Process p = new ProcessBuilder("unshare", "--net", "bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "nft test hung");
    assertEquals(0, p.exitValue(), out);
    // One SYN from uid 65534 hit the reject rule; root's SYN went through (to a closed port).
    assertTrue(out.contains("counter packets 1 "), out);
  }

  /**
   * Three namespaces: a central node (10.20.0.5, rules loaded), a listed member (10.20.0.11) and
   * an outsider (10.30.0.99). The member's SYN to the Hazelcast port is answered (a reset: nothing
   * listens), the outsider's is dropped: its connect times out and the drop counter counts it.
   */
  @Test
  void onlyListedAddressesReachTheClusterPorts(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft")),
        "nft is not installed");
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
    Path rules = dir.resolve("rules.nft");
    Files.writeString(rules, Repo.read(FILE).replace("{ 0, panicmode }", "{ 0, 54321 }"), StandardCharsets.UTF_8);
    String id = Long.toHexString(System.nanoTime() & 0xffffffL);
    String c = "pmc" + id;
    String m = "pmm" + id;
    String x = "pmx" + id;
    String script = String.join("\n",
        "set -e",
        "trap 'ip netns del " + c + " 2>/dev/null; ip netns del " + m + " 2>/dev/null; ip netns del " + x + " 2>/dev/null' EXIT",
        "for n in " + c + " " + m + " " + x + "; do ip netns add $n; ip -n $n link set lo up; done",
        "ip link add cm" + id + " netns " + c + " type veth peer name mc" + id + " netns " + m,
        "ip link add cx" + id + " netns " + c + " type veth peer name xc" + id + " netns " + x,
        "ip -n " + c + " addr add 10.20.0.5/24 dev cm" + id + "; ip -n " + c + " link set cm" + id + " up",
        "ip -n " + m + " addr add 10.20.0.11/24 dev mc" + id + "; ip -n " + m + " link set mc" + id + " up",
        "ip -n " + c + " addr add 10.30.0.5/24 dev cx" + id + "; ip -n " + c + " link set cx" + id + " up",
        "ip -n " + x + " addr add 10.30.0.99/24 dev xc" + id + "; ip -n " + x + " link set xc" + id + " up",
        "ip netns exec " + c + " nft -f " + rules,
        "set +e",
        "ip netns exec " + m + " timeout 3 bash -c 'exec 3<>/dev/tcp/10.20.0.5/5703' 2>/dev/null; echo member=$?",
        "ip netns exec " + x + " timeout 3 bash -c 'exec 3<>/dev/tcp/10.30.0.5/5703' 2>/dev/null; echo outsider=$?",
        "ip netns exec " + x + " timeout 3 bash -c 'exec 3<>/dev/tcp/10.30.0.5/22' 2>/dev/null; echo outsider_other_port=$?",
        "ip netns exec " + c + " nft list chain inet panicmode_cluster input",
        "");
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "namespace test hung");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("member=1"), "the member's SYN must be answered (refused), not dropped:\n" + out);
    assertTrue(out.contains("outsider=124"), "the outsider's SYN must be dropped (timeout):\n" + out);
    assertTrue(out.contains("outsider_other_port=1"), "other ports are not this file's business:\n" + out);
    assertTrue(Pattern.compile("counter packets [1-9]\\d* bytes \\d+ drop").matcher(out).find(), out);
  }

  @Test
  void unitsAndRulesAgreeOnTheUsers() {
    Set<String> users = new HashSet<>();
    for (String kind : List.of("action", "sensor", "central")) {
      users.add(SystemdUnitsTest.unit("panicmode-" + kind + ".service").get("Service", "User"));
    }
    assertEquals(Set.of("root", "panicmode"), users, "member_uids must name every user a member runs as");
  }
}
