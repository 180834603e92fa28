package io.panicmode.contracts.net;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A set of IPs and CIDR blocks (v4 and v6), e.g. {@code firewall.whitelist}. Entries are parsed
 * once, with the same strict rules as {@link StrictIp} for the address part and a plain decimal
 * prefix length; IPv4-mapped IPv6 entries and queries are reduced to IPv4 first, so a mapped
 * address can never slip past an IPv4 entry.
 */
public final class IpSet {
  private final List<IPAddress> blocks;

  private IpSet(List<IPAddress> blocks) { this.blocks = List.copyOf(blocks); }

  public static final IpSet EMPTY = new IpSet(List.of());

  /**
   * Parses every entry; throws IllegalArgumentException naming the first bad one. Rejected:
   * anything {@link StrictIp} rejects in the address part (leading zeros, octal, hex, short forms,
   * zones, whitespace), masks instead of prefix lengths, prefix lengths with a sign, leading zeros
   * or beyond the family's width, and mapped IPv6 blocks shorter than /96 (they would mean "part
   * of IPv4 plus other IPv6", which no IPv4 check can honour).
   */
  public static IpSet parse(List<String> entries) {
    List<IPAddress> out = new ArrayList<>();
    for (String e : entries) out.add(parseEntry(e));
    return new IpSet(out);
  }

  private static IPAddress parseEntry(String e) {
    IllegalArgumentException bad = new IllegalArgumentException("not an IP address or CIDR block: \"" + e + "\"");
    if (e == null) throw bad;
    int slash = e.indexOf('/');
    String addrText = slash < 0 ? e : e.substring(0, slash);
    IPAddress a = StrictIp.parse(addrText).orElseThrow(() -> bad);
    if (slash < 0) return a;
    int bits = prefixLength(e.substring(slash + 1)).orElseThrow(() -> bad);
    boolean writtenAsV6 = addrText.indexOf(':') >= 0;
    if (writtenAsV6 && a.isIPv4()) {
      // A mapped block such as ::ffff:198.51.100.0/120 is the IPv4 block 198.51.100.0/24.
      if (bits < 96 || bits > 128) throw bad;
      bits -= 96;
    }
    if (bits > a.getBitCount()) throw bad;
    return a.setPrefixLength(bits, false).toPrefixBlock();
  }

  private static Optional<Integer> prefixLength(String s) {
    if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) return Optional.empty();
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return Optional.empty();
    return Optional.of(Integer.parseInt(s));
  }

  public boolean contains(String ip) {
    Optional<IPAddress> p = StrictIp.parse(ip);
    if (p.isEmpty()) return false;
    IPAddress a = p.get();
    for (IPAddress b : blocks) {
      if (b.getIPVersion() == a.getIPVersion() && b.contains(a)) return true;
    }
    return false;
  }

  public boolean isEmpty() { return blocks.isEmpty(); }
}
