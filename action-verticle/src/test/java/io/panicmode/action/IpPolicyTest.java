package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.action.firewall.IpPolicy;
import io.panicmode.contracts.net.IpSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The firewall's refusal to ban cluster members, this host's own addresses and the whitelist (no DNS on the way). */
class IpPolicyTest {
  @Test
  void policyProtectsMembersInterfacesAndWhitelistWithoutDns() {
    var p = new IpPolicy(IpSet.parse(List.of("198.51.100.0/24")),
        List.of("203.0.113.1", ActionVerticle.hostOf("[2001:db8::5]:5701"), ActionVerticle.hostOf("node.example:5701")), false);
    assertFalse(p.decide("203.0.113.1").allowed(), "cluster member");
    assertFalse(p.decide("2001:db8::5").allowed(), "cluster member given as [v6]:port");
    assertTrue(p.decide("203.0.113.2").allowed());
    p.interfaceAddresses(List.of("203.0.113.2", "fe80::1%eth0"));
    assertFalse(p.decide("203.0.113.2").allowed(), "a new interface address");
    p.interfaceAddresses(List.of());
    assertTrue(p.decide("203.0.113.2").allowed(), "an address the host no longer has");
    assertFalse(p.decide("203.0.113.1").allowed(), "configured members stay protected");
    assertFalse(p.decide("::ffff:198.51.100.7").allowed(), "whitelist through mapped IPv6");
    assertEquals("not a plain IP address", p.decide("node.example").refusal());
    assertEquals("203.0.113.1", ActionVerticle.hostOf("203.0.113.1:5701"));
    assertEquals("::1", ActionVerticle.hostOf("::1"));
  }
}
