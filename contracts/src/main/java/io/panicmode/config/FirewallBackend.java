package io.panicmode.config;

import java.util.Locale;

/** How bans are applied: the block/unblock scripts, the built-in nftables backend, or only logged. */
public enum FirewallBackend {
  SCRIPT, NFT, DRY_RUN;

  public String wire() { return name().toLowerCase(Locale.ROOT); }
}
