package io.panicmode.action.firewall;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once per IP, in the log, why the policy refused to ban it, so that an attacker on a
 * private network or in the whitelist is never let through silently. Bounded: remembers the last
 * {@value #REMEMBERED} IPs; one forgotten is logged again.
 */
final class RefusalLog {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);
  static final int REMEMBERED = 1024;

  private final Consumer<String> warn;
  private final Map<String, Boolean> logged = new LinkedHashMap<>(64, 0.75f, true) {
    @Override protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) { return size() > REMEMBERED; }
  };

  RefusalLog() { this(LOG::warn); }

  /** Writing to {@code warn} instead of the log (a test counts the lines). */
  RefusalLog(Consumer<String> warn) { this.warn = warn; }

  /** Logs the refusal unless this IP's refusal was logged already; true when it logged. */
  synchronized boolean refused(String ip, String reason) {
    if (logged.put(ip, Boolean.TRUE) != null) return false;
    warn.accept("not banning " + ip + ": " + reason);
    return true;
  }
}
