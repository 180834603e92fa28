package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttemptDedupTest {
  static SshdFailure f(AuthKind k, String ip, long pid) { return new SshdFailure(k, ip, "root", 0, pid, -1); }

  @Test
  void pamLineAndTheFailedLineOfTheSameAttemptCountOnce() {
    AttemptDedup d = new AttemptDedup();
    assertTrue(d.accept(f(AuthKind.PAM_FAILURE, "203.0.113.1", 10)));
    assertFalse(d.accept(f(AuthKind.FAILED_PASSWORD, "203.0.113.1", 10)));
    // The next attempt on the same connection logs only "Failed password": it counts.
    assertTrue(d.accept(f(AuthKind.FAILED_PASSWORD, "203.0.113.1", 10)));
  }

  @Test
  void otherPidOtherIpOrOtherKindIsNotFolded() {
    AttemptDedup d = new AttemptDedup();
    assertTrue(d.accept(f(AuthKind.PAM_FAILURE, "203.0.113.1", 10)));
    assertTrue(d.accept(f(AuthKind.FAILED_PASSWORD, "203.0.113.1", 11)));
    assertTrue(d.accept(f(AuthKind.FAILED_PASSWORD, "203.0.113.2", 10)));
    assertTrue(d.accept(f(AuthKind.INVALID_USER, "203.0.113.1", 10)));
    assertFalse(d.accept(f(AuthKind.FAILED_KEYBOARD_INTERACTIVE, "203.0.113.1", 10)));
  }
}
