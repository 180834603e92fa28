package io.panicmode.config;

import java.time.Duration;
import java.util.List;

/**
 * IP blocking. {@code enabled: false} disables every ban. Without {@code ban_duration} a ban is
 * permanent (as before); with it, a repeat offender's ban grows by {@code ban_growth_factor} up to
 * {@code ban_max_duration}. {@code ctl_socket} is kept for compatibility: {@code panicmode ctl}
 * now talks to the HTTP API, and the key is accepted and ignored. {@code ban_private_networks}
 * lets bans reach RFC 1918, CGNAT (100.64.0.0/10) and unique-local (fc00::/7) sources; loopback,
 * link-local, multicast, this host's addresses and the whitelist are never banned.
 */
public record FirewallConfig(
    @Default("true") boolean enabled,
    @Default("script") FirewallBackend backend,
    @Default("/etc/panicmode/scripts/block_ip.sh") String blockScript,
    @Default("/etc/panicmode/scripts/unblock_ip.sh") String unblockScript,
    @Default("true") boolean restoreOnStartup,
    @Default("/run/panicmode/ctl.sock") String ctlSocket,
    @Default("[]") List<String> whitelist,
    Duration banDuration,
    @Default("2.0") double banGrowthFactor,
    @Default("7d") Duration banMaxDuration,
    @Default("panicmode") String nftTable,
    String rateLimitScript,
    @Default("10") int rateLimitPerMinute,
    @Default("false") boolean banPrivateNetworks) {

  /**
   * The longest ban anyone can ask for (config, API, ctl): 365 days. Longer is a typo or an overflow
   * (a duration of 2^63 seconds wrapped expiry times negative); a permanent ban is asked for by
   * giving no duration at all.
   */
  public static final Duration MAX_BAN_DURATION = Durations.MAX;
}
