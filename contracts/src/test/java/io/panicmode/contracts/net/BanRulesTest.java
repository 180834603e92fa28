package io.panicmode.contracts.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BanRulesTest {
  private static final IpSet WHITELIST = IpSet.parse(List.of("203.0.113.0/24", "10.9.0.0/16"));

  @Test
  void neverBlockedComesFirstThenTheWhitelistThenPrivateNetworks() {
    BanRules rules = new BanRules(WHITELIST, false);
    assertEquals(BanRules.NEVER_BLOCKED, rules.refusal("127.0.0.1"));
    assertEquals(BanRules.NEVER_BLOCKED, rules.refusal("fe80::1"));
    assertEquals(BanRules.WHITELISTED, rules.refusal("203.0.113.5"));
    assertEquals(BanRules.WHITELISTED, rules.refusal("10.9.1.1"), "a whitelisted private address says whitelisted");
    assertEquals(BanRules.PRIVATE_REFUSAL, rules.refusal("10.1.2.3"));
    assertEquals(BanRules.PRIVATE_REFUSAL, rules.refusal("100.64.0.1"));
    assertEquals(BanRules.PRIVATE_REFUSAL, rules.refusal("fd00::1"));
    assertNull(rules.refusal("198.51.100.7"));
  }

  @Test
  void privateSourcesAreRequestedSoTheRefusalIsSaidAndBannableByChoice() {
    BanRules strict = new BanRules(WHITELIST, false);
    assertFalse(strict.blockable("10.1.2.3"));
    assertTrue(strict.requestable("10.1.2.3"), "the action role refuses it with the reason");
    assertFalse(strict.requestable("203.0.113.5"));
    assertFalse(strict.requestable("127.0.0.1"));
    BanRules lan = new BanRules(WHITELIST, true);
    assertTrue(lan.blockable("10.1.2.3"));
    assertFalse(lan.blockable("10.9.1.1"));
    assertFalse(lan.blockable("::1"));
  }
}
