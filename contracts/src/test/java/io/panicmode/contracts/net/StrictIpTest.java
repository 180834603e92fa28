package io.panicmode.contracts.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.FixtureText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictIpTest {

  /** One case per line of net/strict-ip-cases.txt: input, tab, canonical form or REJECT. */
  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = StrictIpTest.class.getResourceAsStream("/net/strict-ip-cases.txt")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.split("\n", -1)) {
        if (line.isEmpty() || line.startsWith("#")) continue;
        int tab = line.lastIndexOf('\t');
        out.add(Arguments.of(FixtureText.unescape(line.substring(0, tab)), line.substring(tab + 1)));
      }
    }
    return out.stream();
  }


  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @MethodSource("cases")
  void canonicalFormOrRejection(String input, String expected) {
    Optional<String> got = StrictIp.canonical(input);
    if (expected.equals("REJECT")) {
      assertTrue(got.isEmpty(), () -> "accepted hostile input as " + got.get());
    } else {
      assertEquals(Optional.of(expected), got);
      // The canonical form is a fixed point: parsing it again gives itself.
      assertEquals(got, StrictIp.canonical(got.get()));
    }
  }

  @Test
  void fixtureHasAtLeastThirtyHostileInputs() throws IOException {
    long hostile = cases().filter(a -> a.get()[1].equals("REJECT")).count();
    assertTrue(hostile >= 30, "only " + hostile + " hostile inputs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "169.254.1.1", "0.0.0.0", "0.1.2.3", "255.255.255.255", "224.0.0.1", "239.1.1.1", "100.64.0.1",
      "::1", "::", "fe80::1", "febf::1", "fec0::1", "feff::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
      "::10.0.0.1", "not-an-ip", "010.0.0.1"})
  void neverBlock(String ip) {
    assertTrue(StrictIp.isNeverBlock(ip), ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "203.0.113.9", "172.32.0.1", "172.15.255.255", "100.128.0.1", "11.0.0.1",
      "2001:db8::1", "2606:4700::1111", "::ffff:8.8.8.8", "fbff::1"})
  void blockable(String ip) {
    assertFalse(StrictIp.isNeverBlock(ip), ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.9", "100.64.0.1",
      "100.127.255.255", "fc00::1", "fd12:3456::1", "fec0::1", "::ffff:10.0.0.1", "::ffff:192.168.0.7"})
  void privateNetworksAreBannableByChoiceOnly(String ip) {
    assertTrue(StrictIp.isPrivateNetwork(ip), ip);
    assertFalse(StrictIp.isAlwaysProtected(ip), ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "0.1.2.3", "169.254.1.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
      "ff02::1", "::ffff:127.0.0.1", "::10.0.0.1", "not-an-ip", "010.0.0.1"})
  void alwaysProtectedWhateverTheSettings(String ip) {
    assertTrue(StrictIp.isAlwaysProtected(ip), ip);
    assertFalse(StrictIp.isPrivateNetwork(ip), ip);
  }

  @Test
  void fastCanonicalAgreesWithTheFullParse() {
    java.util.Random r = new java.util.Random(42);
    for (int i = 0; i < 200_000; i++) {
      String text = randomIpv6Text(r);
      String fast = StrictIp.fastCanonical(text);
      java.util.Optional<String> full = StrictIp.parse(text).map(inet.ipaddr.IPAddress::toCanonicalString);
      if (fast != null) assertEquals(full.orElse("(rejected)"), fast, text);
      assertEquals(full, StrictIp.canonical(text), text);
    }
    for (String bad : List.of(":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::1", "1:2:3:4:5:6:7:", ":1:2:3:4:5:6:7",
        "1::", "1:2:3:4:5:6:7:8::", "g::1", "1.2.3.04", "01.2.3.4")) {
      assertEquals(StrictIp.parse(bad).map(inet.ipaddr.IPAddress::toCanonicalString), StrictIp.canonical(bad), bad);
    }
  }

  /** Random IPv6 text in the shapes logs hold: full, compressed, upper case, leading zeros, odd runs. */
  private static String randomIpv6Text(java.util.Random r) {
    int[] g = new int[8];
    for (int k = 0; k < 8; k++) g[k] = switch (r.nextInt(4)) { case 0 -> 0; case 1 -> r.nextInt(16); default -> r.nextInt(65536); };
    StringBuilder sb = new StringBuilder();
    int gapAt = r.nextInt(3) == 0 ? -1 : r.nextInt(8);
    int gapLen = gapAt < 0 ? 0 : 1 + r.nextInt(8 - gapAt);
    for (int k = 0; k < 8; k++) {
      if (k == gapAt) {
        sb.append("::");
        k += gapLen - 1;
        continue;
      }
      if (sb.length() > 0 && !sb.toString().endsWith(":")) sb.append(':');
      String h = Integer.toHexString(gapAt >= 0 && k >= gapAt && k < gapAt + gapLen ? 0 : g[k]);
      if (r.nextInt(5) == 0) h = ("000" + h).substring(h.length() - 1);
      if (r.nextBoolean()) h = h.toUpperCase(java.util.Locale.ROOT);
      sb.append(h);
    }
    return sb.toString();
  }

  @Test
  void ipSetMatchesAddressesAndBlocksOfBothFamilies() {
    IpSet set = IpSet.parse(List.of("203.0.113.10", "198.51.100.0/24", "2001:db8::1", "2001:db8:1::/48"));
    assertTrue(set.contains("203.0.113.10"));
    assertFalse(set.contains("203.0.113.11"));
    assertTrue(set.contains("198.51.100.77"));
    assertTrue(set.contains("::ffff:198.51.100.77"), "mapped IPv6 must not escape the whitelist");
    assertFalse(set.contains("198.51.101.1"));
    assertTrue(set.contains("2001:db8::1"));
    assertTrue(set.contains("2001:DB8:0::1"));
    assertTrue(set.contains("2001:db8:1:ffff::5"));
    assertFalse(set.contains("2001:db8:2::1"));
    assertFalse(set.contains("010.0.0.1"));
    assertFalse(IpSet.EMPTY.contains("1.2.3.4"));
    // Host bits under the prefix are ignored: the entry means its whole block.
    assertTrue(IpSet.parse(List.of("192.0.2.77/24")).contains("192.0.2.1"));
  }

  @Test
  void ipSetReducesMappedBlocksToIpv4() {
    IpSet set = IpSet.parse(List.of("::ffff:198.51.100.0/120"));
    assertTrue(set.contains("198.51.100.200"));
    assertFalse(set.contains("198.51.101.1"));
  }

  @Test
  void ipv6BlockDoesNotCoverIpv4() {
    IpSet set = IpSet.parse(List.of("::/0"));
    assertTrue(set.contains("2001:db8::1"));
    assertFalse(set.contains("8.8.8.8"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"010.0.0.0/8", "10.0.0.0/33", "10.0.0.0/08", "10.0.0.0/", "/8", "10.0.0.*", "1.2.3.4 ",
      "fe80::/10%eth0", "example.com", "10.0.0.0/8;id", "2001:db8::/129", "10.0.0.0/255.0.0.0", "1.2.3.4/-1"})
  void ipSetRejectsAmbiguousEntries(String entry) {
    assertThrows(IllegalArgumentException.class, () -> IpSet.parse(List.of(entry)));
  }
}
