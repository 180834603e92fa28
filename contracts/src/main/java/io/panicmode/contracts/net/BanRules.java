package io.panicmode.contracts.net;

/**
 * The rules every role applies before naming or banning an address: never the always-protected
 * ranges (loopback, link-local, multicast, reserved), never {@code firewall.whitelist}, and private
 * networks (RFC 1918, CGNAT, ULA) only with {@code firewall.ban_private_networks}. The detector uses
 * them to decide what to count and request; the action role adds this host's and the cluster's own
 * addresses and refuses with the reason. Addresses are canonical ({@link StrictIp}). Pure: no I/O.
 */
public final class BanRules {
  public static final String NEVER_BLOCKED = "never blocked (loopback, link-local, multicast or reserved)";
  public static final String WHITELISTED = "in firewall.whitelist";
  /** The refusal for a private source while {@code firewall.ban_private_networks} is false. */
  public static final String PRIVATE_REFUSAL = "refused: private network, see firewall.ban_private_networks";

  private final IpSet whitelist;
  private final boolean banPrivateNetworks;

  public BanRules(IpSet whitelist, boolean banPrivateNetworks) {
    this.whitelist = whitelist;
    this.banPrivateNetworks = banPrivateNetworks;
  }

  public boolean hasWhitelist() { return !whitelist.isEmpty(); }

  /** True for whitelisted addresses: the detector does not count their events at all. */
  public boolean whitelisted(String ip) { return !whitelist.isEmpty() && whitelist.contains(ip); }

  /** Why {@code ip} may not be banned under these rules, or null when it may. */
  public String refusal(String ip) {
    if (StrictIp.isAlwaysProtected(ip)) return NEVER_BLOCKED;
    if (whitelisted(ip)) return WHITELISTED;
    if (!banPrivateNetworks && StrictIp.isPrivateNetwork(ip)) return PRIVATE_REFUSAL;
    return null;
  }

  /** True when {@code ip} may be the subject of an incident that blocks. */
  public boolean blockable(String ip) { return refusal(ip) == null; }

  /**
   * True when a block_ip command should carry {@code ip}: blockable, or a private source that the
   * action role will refuse with the reason in the incident's action result instead of silently.
   */
  public boolean requestable(String ip) {
    String refusal = refusal(ip);
    return refusal == null || refusal.equals(PRIVATE_REFUSAL);
  }
}
