package io.panicmode.collector.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * With PAM, one wrong password makes two lines from the same sshd process: pam_unix's
 * "authentication failure ... rhost=IP" and then sshd's own "Failed password ... from IP". Both
 * are recognised, but they are one attempt: the PAM line is published at once, and the
 * Failed password / keyboard-interactive line that follows from the same pid and IP is not
 * published again. A PAM line without a following Failed line (the client hung up during the
 * PAM delay) still counts once. Bounded: remembers the last {@value #MAX_PIDS} sshd pids.
 */
public final class AttemptDedup {
  static final int MAX_PIDS = 4096;

  private final Map<Long, String> pendingPam = new LinkedHashMap<>(64, 0.75f, true) {
    @Override protected boolean removeEldestEntry(Map.Entry<Long, String> e) { return size() > MAX_PIDS; }
  };

  /** True when {@code f} is a new attempt to publish, false when it repeats the PAM line before it. */
  public boolean accept(SshdFailure f) {
    if (f.kind() == AuthKind.PAM_FAILURE) {
      pendingPam.put(f.pid(), f.ip());
      return true;
    }
    if (f.kind() == AuthKind.FAILED_PASSWORD || f.kind() == AuthKind.FAILED_KEYBOARD_INTERACTIVE) {
      String ip = pendingPam.get(f.pid());
      if (ip != null && ip.equals(f.ip())) {
        pendingPam.remove(f.pid());
        return false;
      }
    }
    return true;
  }
}
