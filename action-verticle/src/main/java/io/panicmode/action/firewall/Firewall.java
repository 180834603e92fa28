package io.panicmode.action.firewall;

import java.util.List;

/**
 * A way of applying bans. Every method but {@link #startBlock} is blocking (it runs programs) and
 * is called on a worker thread; all get canonical IPs that already passed {@link IpPolicy}, an
 * implementation never sees anything else. Implementations must be idempotent: banning a banned IP or lifting a lifted ban
 * succeeds. A failure throws {@link FirewallException}, which says whether a retry may help.
 */
public interface Firewall {
  /** Prepares whatever the backend needs (tables, sets). Called once at start. */
  void init() throws FirewallException;

  /** Applies the bans; when it returns normally every one of them is in force. */
  void block(List<Ban> bans, long nowMillis) throws FirewallException;

  /** Lifts the bans of these IPs. */
  void unblock(List<String> ips) throws FirewallException;

  /** Limits new connections from these IPs (until {@code ban.expiresAtMillis}, if set). */
  void rateLimit(List<Ban> ips, long nowMillis) throws FirewallException;

  /**
   * For a backend that needs nothing but the IPs (no expiry, no ledger): starts applying bans
   * without waiting, and returns once they run; {@link Started#await} then waits for them on a
   * worker. This lets a ban start on the event loop that decided it, before the ledger lookup and
   * without a hand-off to a worker thread. Null when the backend cannot do that for these IPs; the
   * caller then calls {@link #block}. Must be short: it runs on the event loop.
   */
  default Started startBlock(List<String> ips) { return null; }

  /** Bans started by {@link #startBlock}. */
  interface Started {
    /** Blocks until they are applied; fails as {@link #block} would. */
    void await() throws FirewallException;
  }

  /** Re-applies bans from the ledger at start; by default the same as {@link #block}. */
  default void restore(List<Ban> bans, long nowMillis) throws FirewallException {
    block(bans, nowMillis);
  }

  /** Short name for logs and results. */
  String name();
}
