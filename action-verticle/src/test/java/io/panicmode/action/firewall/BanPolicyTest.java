package io.panicmode.action.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Ban durations: escalation per offence, the cap, permanent bans and an operator's own duration. */
class BanPolicyTest {
  @Test
  void banDurationsEscalateAndCap() {
    BanPolicy p = new BanPolicy(Duration.ofMinutes(10), 2.0, Duration.ofHours(1));
    assertEquals(600_000L, p.expiresAt(0, 1, 0));
    assertEquals(1_200_000L, p.expiresAt(0, 2, 0));
    assertEquals(2_400_000L, p.expiresAt(0, 3, 0));
    assertEquals(3_600_000L, p.expiresAt(0, 4, 0));
    assertEquals(3_600_000L, p.expiresAt(0, 400, 0));
    assertEquals(30_000L, p.expiresAt(0, 1, 30), "an operator's duration replaces the base");
    BanPolicy permanent = new BanPolicy(null, 2.0, Duration.ofDays(7));
    assertNull(permanent.expiresAt(0, 5, 0));
    assertEquals(90_000L, permanent.expiresAt(0, 1, 90));
  }
}
