package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet examples as shipped (config/examples: central-node, fleet-agent-action, fleet-agent)
 * with the cluster-port firewall (packaging/nftables/panicmode-cluster.nft) loaded on both
 * members, each host in its own network namespace at the examples' addresses: central node
 * 10.20.0.5, agent 10.20.0.11, and an outsider 10.20.0.99 that is not in the fleet. Certificates
 * come from `panicmode certs` as docs/operations.md describes. The agent's processes and the
 * central node form one cluster over TLS; an SSH brute force on the agent is banned there and
 * stored centrally; the outsider cannot even open a connection to the central node's cluster ports.
 */
class ShippedFleetIT {
  static final String ATTACKER = "198.51.100.8";

  @TempDir Path tmp;

  @Test
  void fleetExamplesFormOneClusterBehindTheFirewall() throws Exception {
    try (ShippedStack stack = new ShippedStack(tmp)) {
      Path agentEtc = stack.etc("agent11", Set.of("command.key", "operator.key", "result.key", "results"));
      Path centralEtc = stack.etc("central", Set.of("operator.key", "api.token", "central.command.key", "results"));
      stack.install("config/examples/central-node.yaml", centralEtc, "central", null);
      Path authLog = Files.writeString(tmp.resolve("auth.log"), "");
      stack.install("config/examples/fleet-agent-action.yaml", agentEtc, "action", null);
      stack.install("config/examples/fleet-agent.yaml", agentEtc, "sensor", authLog);

      String c = stack.namespace("pmfc");
      String a = stack.namespace("pmfa");
      String x = stack.namespace("pmfx");
      link(c, "10.20.0.5", a, "10.20.0.11");
      link(c, "10.20.0.5", x, "10.20.0.99");
      Path rules = tmp.resolve("cluster.nft");
      // The test host has no user panicmode: an unused uid stands in (the processes run as root here).
      Files.writeString(rules, Repo.read("packaging/nftables/panicmode-cluster.nft").replace("{ 0, panicmode }", "{ 0, 54321 }"));
      for (String ns : List.of(c, a)) ShippedStack.run(List.of("ip", "netns", "exec", ns, "nft", "-f", rules.toString()), Map.of(), 10);

      stack.start("central", c, "central", centralEtc, Map.of("PANICMODE_HOST_ID", "central"));
      stack.start("action", a, "action", agentEtc, Map.of("PANICMODE_HOST_ID", "agent11"));
      stack.start("sensor", a, "sensor", agentEtc, Map.of("PANICMODE_HOST_ID", "agent11"));

      stack.await("the agent's roles reported to the central node", 180, () -> {
        Map<String, Set<String>> hosts = stack.rolesByHost(c, centralEtc);
        return hosts.getOrDefault("agent11", Set.of()).containsAll(Set.of("action", "collector", "detector"))
            && hosts.getOrDefault("central", Set.of()).containsAll(Set.of("alert", "storage", "api"));
      });

      ShippedStack.sshBruteForce(authLog, ATTACKER);
      stack.await(ATTACKER + " banned on the agent", 60, () -> stack.nftRuleset(a).contains(ATTACKER));
      stack.await("the agent's incident stored centrally", 60,
          () -> stack.ctl(c, centralEtc, "incidents", "--since", "1h", "--host", "agent11").contains("ssh_brute_force"));

      // The outsider's SYN to the central node's Hazelcast and event-bus ports is dropped (no
      // answer: timeout), while the node itself answers it on other ports (closed: refused).
      String probe = ShippedStack.run(List.of("ip", "netns", "exec", x, "bash", "-c", String.join("; ",
          "timeout 3 bash -c 'exec 3<>/dev/tcp/10.20.0.5/5703' 2>/dev/null; echo hz=$?",
          "timeout 3 bash -c 'exec 3<>/dev/tcp/10.20.0.5/5803' 2>/dev/null; echo eb=$?",
          "timeout 3 bash -c 'exec 3<>/dev/tcp/10.20.0.5/5999' 2>/dev/null; echo other=$?")), Map.of(), 30);
      assertTrue(probe.contains("hz=124") && probe.contains("eb=124"), "cluster ports must not answer an outsider:\n" + probe);
      assertTrue(probe.contains("other=1"), "the outsider reaches the host itself:\n" + probe);

      stack.stopGracefully("sensor", "action", "central");
    }
  }

  /** A veth pair between two namespaces with one address at each end and a host route to the other. */
  private static void link(String ns1, String ip1, String ns2, String ip2) throws Exception {
    String id = Long.toHexString(System.nanoTime() & 0xfffffL);
    String e1 = "v" + id + "a";
    String e2 = "v" + id + "b";
    for (List<String> cmd : List.of(
        List.of("ip", "link", "add", e1, "netns", ns1, "type", "veth", "peer", "name", e2, "netns", ns2),
        List.of("ip", "-n", ns1, "addr", "add", ip1 + "/32", "dev", e1),
        List.of("ip", "-n", ns2, "addr", "add", ip2 + "/32", "dev", e2),
        List.of("ip", "-n", ns1, "link", "set", e1, "up"),
        List.of("ip", "-n", ns2, "link", "set", e2, "up"),
        List.of("ip", "-n", ns1, "route", "add", ip2 + "/32", "dev", e1),
        List.of("ip", "-n", ns2, "route", "add", ip1 + "/32", "dev", e2))) {
      ShippedStack.run(cmd, Map.of(), 10);
    }
  }
}
