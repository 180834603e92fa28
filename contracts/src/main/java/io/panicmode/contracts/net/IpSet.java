package io.panicmode.contracts.net;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A set of IPs and CIDR blocks (v4 and v6), e.g. {@code firewall.whitelist}. Entries are parsed
 * once; IPv4-mapped IPv6 entries and queries are reduced to IPv4 first.
 */
public final class IpSet {
  private final List<IPAddress> blocks;

  private IpSet(List<IPAddress> blocks) { this.blocks = List.copyOf(blocks); }

  public static final IpSet EMPTY = new IpSet(List.of());

  /** Parses every entry; throws IllegalArgumentException naming the first bad one (config validation runs first). */
  public static IpSet parse(List<String> entries) {
    List<IPAddress> out = new ArrayList<>();
    for (String e : entries) {
      String s = e.strip();
      IPAddress a;
      if (s.contains("/")) {
        a = new IPAddressString(s).getAddress();
        if (a == null) throw new IllegalArgumentException("not an IP address or CIDR block: \"" + e + "\"");
        if (a.isIPv6() && a.toIPv6().isIPv4Mapped() && a.getNetworkPrefixLength() != null
            && a.getNetworkPrefixLength() >= 96) {
          int bits = a.getNetworkPrefixLength() - 96;
          a = new IPAddressString(a.toIPv6().getEmbeddedIPv4Address().toCanonicalString() + "/" + bits).getAddress();
        }
        a = a.toPrefixBlock();
      } else {
        a = StrictIp.parse(s).orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR block: \"" + e + "\""));
      }
      out.add(a);
    }
    return new IpSet(out);
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
