package io.panicmode.action.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.net.BanRules;
import io.panicmode.contracts.net.IpSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code firewall.ban_private_networks}: private sources bannable by choice, with a reason when not. */
class PrivateNetworkPolicyTest {
  @Test
  void privateSourcesAreRefusedWithTheSettingNamedByDefault() {
    IpPolicy p = new IpPolicy(IpSet.EMPTY, List.of(), false);
    for (String ip : List.of("10.1.2.3", "172.20.0.9", "192.168.7.7", "100.64.3.3", "fd00::7")) {
      assertEquals(BanRules.PRIVATE_REFUSAL, p.decide(ip).refusal(), ip);
    }
    assertTrue(p.decide("203.0.113.9").allowed());
  }

  @Test
  void privateSourcesAreBannedWhenTheOperatorSaysSo() {
    IpPolicy p = new IpPolicy(IpSet.parse(List.of("10.9.0.0/16")), List.of("10.0.0.1"), true);
    assertTrue(p.decide("10.1.2.3").allowed());
    assertTrue(p.decide("::ffff:192.168.7.7").allowed());
    assertEquals("192.168.7.7", p.decide("::ffff:192.168.7.7").canonical());
    assertTrue(p.decide("fd00::7").allowed());
    // Loopback, link-local, multicast, this host / members and the whitelist stay protected in every setting.
    for (String ip : List.of("127.0.0.1", "169.254.0.1", "fe80::1", "224.0.0.5", "::1", "10.0.0.1", "10.9.4.4")) {
      assertFalse(p.decide(ip).allowed(), ip);
    }
  }

  @Test
  void eachRefusedIpIsLoggedOnce() {
    java.util.List<String> lines = new java.util.ArrayList<>();
    RefusalLog log = new RefusalLog(lines::add);
    assertTrue(log.refused("10.1.2.3", BanRules.PRIVATE_REFUSAL));
    assertFalse(log.refused("10.1.2.3", BanRules.PRIVATE_REFUSAL));
    assertTrue(log.refused("10.1.2.4", BanRules.PRIVATE_REFUSAL));
    assertEquals(List.of("not banning 10.1.2.3: " + BanRules.PRIVATE_REFUSAL, "not banning 10.1.2.4: " + BanRules.PRIVATE_REFUSAL),
        lines);
    for (int i = 0; i < RefusalLog.REMEMBERED + 5; i++) log.refused("198.51.100." + (i % 250) + "", "x" + i);
    // Bounded: 250 distinct addresses fit, nothing grows beyond REMEMBERED entries.
    assertFalse(log.refused("198.51.100.1", "again"));
    assertEquals(2 + 250, lines.size());
  }
}
