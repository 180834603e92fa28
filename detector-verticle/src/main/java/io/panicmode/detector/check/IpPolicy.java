package io.panicmode.detector.check;

import io.panicmode.contracts.net.IpSet;
import io.panicmode.contracts.net.StrictIp;
import java.util.List;

/**
 * Which source IPs the detector may name as attackers: plain addresses not in
 * {@code firewall.whitelist}, outside loopback, link-local and the other always-protected ranges,
 * and outside private networks unless {@code firewall.ban_private_networks}. A private source
 * refused by that setting is still handed to the action role ({@link #requestable}), which
 * refuses it with the reason in the incident's action result instead of leaving it silent.
 */
public final class IpPolicy {
  private final IpSet whitelist;
  private final boolean banPrivateNetworks;

  public IpPolicy(List<String> whitelist, boolean banPrivateNetworks) {
    this.whitelist = IpSet.parse(whitelist);
    this.banPrivateNetworks = banPrivateNetworks;
  }

  /** True for whitelisted addresses: their events are not counted at all. */
  public boolean whitelisted(String ip) { return !whitelist.isEmpty() && whitelist.contains(ip); }

  /** True when {@code ip} may be the subject of an incident that blocks. */
  public boolean blockable(String ip) {
    return !StrictIp.isAlwaysProtected(ip) && !whitelisted(ip) && (banPrivateNetworks || !StrictIp.isPrivateNetwork(ip));
  }

  /**
   * True when a block_ip command should carry {@code ip}: blockable, or a private source that
   * the action role will refuse and say why.
   */
  public boolean requestable(String ip) {
    return !StrictIp.isAlwaysProtected(ip) && !whitelisted(ip);
  }

  public boolean hasWhitelist() { return !whitelist.isEmpty(); }

  /** The canonical form, or null when {@code ip} is not a plain IP address (StrictIp's dotted-quad fast path included). */
  public static String canonical(String ip) { return StrictIp.canonical(ip).orElse(null); }
}
