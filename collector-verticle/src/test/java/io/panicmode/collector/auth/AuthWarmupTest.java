package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AuthWarmupTest {
  @Test
  void eachSyntheticAttemptIsOneEventAsForARealAttacker() {
    // Three attempts per attacker, each written as PAM line, Failed password, Connection closed: one event each.
    assertEquals(3 * 20, AuthWarmup.run("warm-host", AuthMode.NORMAL, 20));
  }
}
