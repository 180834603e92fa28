package io.panicmode.detector.check;

import io.panicmode.contracts.net.IpSet;
import io.panicmode.contracts.net.StrictIp;
import java.util.List;

/**
 * Which source IPs the detector may name as attackers: plain public addresses not in
 * {@code firewall.whitelist}. Loopback, private, link-local and the other never-block ranges are
 * left out, so an incident never asks the action verticle to block them (it re-checks anyway).
 */
public final class IpPolicy {
  private final IpSet whitelist;

  public IpPolicy(List<String> whitelist) { this.whitelist = IpSet.parse(whitelist); }

  /** True for whitelisted addresses: their events are not counted at all. */
  public boolean whitelisted(String ip) { return !whitelist.isEmpty() && whitelist.contains(ip); }

  /** True when {@code ip} may be the subject of an incident that blocks. */
  public boolean blockable(String ip) { return !StrictIp.isNeverBlock(ip) && !whitelisted(ip); }

  /** The canonical form, or null when {@code ip} is not a plain IP address. */
  public static String canonical(String ip) { return StrictIp.canonical(ip).orElse(null); }
}
