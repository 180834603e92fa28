package io.panicmode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistinctIpsTest {
  @Test
  void countsEachAddressOnceIncludingTheEdgesOfTheIpv4Range() {
    DistinctIps ips = new DistinctIps();
    for (String ip : new String[] {"0.0.0.0", "0.0.0.0", "255.255.255.255", "255.255.255.255", "0.0.0.1",
        "2001:db8::1", "2001:db8::1", "::ffff:203.0.113.5", "203.0.113.5"}) {
      ips.add(ip);
    }
    assertEquals(6, ips.size());
  }

  /** Enough random addresses to grow the table many times, each added twice, against a HashSet. */
  @Test
  void agreesWithAHashSetThroughGrowth() {
    DistinctIps ips = new DistinctIps();
    Set<String> expected = new HashSet<>();
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      int v = random.nextInt(1 << 20) * 4099;
      String ip = (v >>> 24) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
      ips.add(ip);
      ips.add(ip);
      expected.add(ip);
    }
    assertEquals(expected.size(), ips.size());
  }
}
