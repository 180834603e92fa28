package io.panicmode.contracts.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictIpTest {
  @ParameterizedTest
  @CsvSource({
      "198.51.100.9,198.51.100.9",
      "::ffff:198.51.100.9,198.51.100.9",
      "::FFFF:c633:6409,198.51.100.9",
      "2001:DB8::1,2001:db8::1",
      "2001:0db8:0000:0000:0000:0000:0000:0001,2001:db8::1",
  })
  void canonicalForms(String in, String expected) {
    assertEquals(Optional.of(expected), StrictIp.canonical(in));
  }

  @ParameterizedTest
  @ValueSource(strings = {"010.0.0.1", "0x0a.0.0.1", "167772161", "127.1", "fe80::1%eth0", "1.2.3.4;id", "$(id)",
      "-j ACCEPT", "1.2.3.4 drop; delete table inet x", "1.2.3.4\u0000", " 1.2.3.4", "1.2.3.4 ", "\uff11.2.3.4",
      "1.2.3.4/32", "1.2.3.*", "", "256.1.1.1", "1.2.3", "1.2.3.4.5", "::ffff:010.0.0.1", "2001:db8::/64",
      "01.2.3.4", "1.2.3.04", "1..2.3"})
  void rejected(String in) {
    assertTrue(StrictIp.canonical(in).isEmpty(), in);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.1.1",
      "0.0.0.0", "255.255.255.255", "224.0.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12::1", "ff02::1",
      "::ffff:10.0.0.1", "::ffff:127.0.0.1", "100.64.0.1", "garbage"})
  void neverBlocked(String ip) {
    assertTrue(StrictIp.isNeverBlock(ip), ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {"198.51.100.9", "8.8.8.8", "172.32.0.1", "2001:db8::1", "::ffff:198.51.100.9"})
  void blockable(String ip) {
    assertFalse(StrictIp.isNeverBlock(ip), ip);
  }

  @org.junit.jupiter.api.Test
  void whitelistMatchesMappedForms() {
    IpSet set = IpSet.parse(List.of("203.0.113.10", "198.51.100.0/24", "2001:db8::/32"));
    assertTrue(set.contains("::ffff:198.51.100.77"));
    assertTrue(set.contains("203.0.113.10"));
    assertTrue(set.contains("2001:db8:1::5"));
    assertFalse(set.contains("203.0.113.11"));
    assertFalse(set.contains("010.0.0.1"));
  }
}
