package io.panicmode.action.firewall;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code firewall.backend: dry_run}: logs every change and applies none. */
public final class DryRunFirewall implements Firewall {
  private static final Logger LOG = LoggerFactory.getLogger(DryRunFirewall.class);

  @Override public void init() { LOG.info("firewall backend dry_run: bans are logged, never applied"); }

  @Override public void block(List<Ban> bans, long nowMillis) {
    bans.forEach(b -> LOG.info("dry_run: would block " + b.ip() + (b.expiresAtMillis() == null ? " permanently"
        : " for " + b.secondsLeft(nowMillis) + "s")));
  }

  @Override public void unblock(List<String> ips) { ips.forEach(ip -> LOG.info("dry_run: would unblock " + ip)); }

  @Override public void rateLimit(List<Ban> ips, long nowMillis) {
    ips.forEach(b -> LOG.info("dry_run: would rate-limit " + b.ip()));
  }

  @Override public String name() { return "dry_run"; }
}
