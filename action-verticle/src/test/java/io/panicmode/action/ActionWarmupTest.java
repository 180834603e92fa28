package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.action.firewall.BanPolicy;
import io.panicmode.action.firewall.IpPolicy;
import io.panicmode.contracts.net.IpSet;
import io.panicmode.runtime.CommandSigner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionWarmupTest {
  final IpPolicy policy = new IpPolicy(IpSet.parse(List.of()), List.of(), false);
  final BanPolicy bans = new BanPolicy(Duration.ofHours(1), 2, Duration.ofDays(1));

  @Test
  void syntheticCommandsPassTheGateAndThePoliciesInLocalMode() {
    assertTrue(ActionWarmup.run("warm-host", false, null, policy, bans, 20) > 0);
  }

  @Test
  void signedCommandsPassTheGateOfAClusteredHost() {
    assertTrue(ActionWarmup.run("warm-host", true, new CommandSigner(new byte[32]), policy, bans, 20) > 0);
  }

  @Test
  void aWhitelistedRangeMeansNothingPassesAndNothingBreaks() {
    IpPolicy all = new IpPolicy(IpSet.parse(List.of("198.18.0.0/15")), List.of(), false);
    assertTrue(ActionWarmup.run("warm-host", false, null, all, bans, 20) == 0);
  }
}
