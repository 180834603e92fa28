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

  public boolean hasWhitelist() { return !whitelist.isEmpty(); }

  /** The canonical form, or null when {@code ip} is not a plain IP address. */
  public static String canonical(String ip) {
    if (isCanonicalIpv4(ip)) return ip;
    return StrictIp.canonical(ip).orElse(null);
  }

  /**
   * Fast path for the common case, an address already in canonical dotted-quad form (four
   * decimal parts 0-255, no leading zeros): one linear pass instead of a full parse.
   */
  static boolean isCanonicalIpv4(String s) {
    int n = s.length();
    if (n < 7 || n > 15) return false;
    int parts = 0;
    int i = 0;
    while (i < n) {
      int start = i;
      int v = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        v = v * 10 + (s.charAt(i) - '0');
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 3 || v > 255 || (len > 1 && s.charAt(start) == '0')) return false;
      parts++;
      if (i == n) break;
      if (s.charAt(i) != '.' || parts == 4) return false;
      i++;
      if (i == n) return false;
    }
    return parts == 4;
  }
}
