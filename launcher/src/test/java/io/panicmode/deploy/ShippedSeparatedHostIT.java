package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privilege-separated host as shipped (packaging/etc/panicmode and the three units), in one
 * network namespace of its own so the fixed ports and the nftables ban table touch nothing else.
 * Over the TLS event bus: every process reports to the central API; an SSH brute force in the
 * auth log is banned by the action process on the detector's signed command and stored as an
 * incident; a manual block through panicmode-ctl (API token, operator key) is applied too;
 * SIGTERM stops each process with exit code 0.
 */
class ShippedSeparatedHostIT {
  static final String ATTACKER = "198.51.100.7";
  static final String MANUAL = "203.0.113.9";

  @TempDir Path tmp;

  @Test
  void shippedConfigsWorkTogether() throws Exception {
    try (ShippedStack stack = new ShippedStack(tmp)) {
      Path etc = stack.etc("host1", Set.of("command.key", "operator.key", "api.token", "central.command.key", "result.key",
          "results"));
      Path authLog = Files.writeString(tmp.resolve("auth.log"), "");
      for (String kind : new String[] {"action", "sensor", "central"}) {
        stack.install("packaging/etc/panicmode/" + kind + ".yaml", etc, kind, kind.equals("sensor") ? authLog : null);
      }
      String ns = stack.namespace("pmhost");
      Map<String, String> env = Map.of("PANICMODE_HOST_ID", "host1");
      for (String kind : new String[] {"central", "action", "sensor"}) stack.start(kind, ns, kind, etc, env);

      stack.await("all six roles reported to the central API", 180, () -> stack.rolesByHost(ns, etc).getOrDefault("host1", Set.of())
          .containsAll(Set.of("action", "collector", "detector", "alert", "storage", "api")));

      ShippedStack.sshBruteForce(authLog, ATTACKER);
      stack.await(ATTACKER + " banned in nftables", 60, () -> stack.nftRuleset(ns).contains(ATTACKER));
      stack.await("the incident stored", 60, () -> stack.ctl(ns, etc, "incidents", "--since", "1h").contains("ssh_brute_force"));

      String blocked = stack.ctl(ns, etc, "block", MANUAL, "--for", "10m", "--reason", "deploy test");
      assertTrue(blocked.contains(MANUAL), blocked);
      stack.await(MANUAL + " banned in nftables", 60, () -> stack.nftRuleset(ns).contains(MANUAL));

      // With the units' flags each process leaves headroom under the Kubernetes memory limit of
      // its container (256Mi): at most three quarters of it. Measured here: 147-153 MiB.
      for (String kind : new String[] {"action", "sensor", "central"}) {
        long rss = stack.rssMib(kind);
        System.out.println("RSS " + kind + ": " + rss + " MiB");
        assertTrue(rss <= 192, kind + " uses " + rss + " MiB resident");
      }
      stack.stopGracefully("sensor", "action", "central");
    }
  }
}
