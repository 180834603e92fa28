package io.panicmode.contracts.net;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.util.Optional;

/**
 * The one IP parser of PanicMode. Accepts only plain dotted-quad IPv4 (no leading zeros, no octal,
 * hex, short or integer forms) and plain IPv6 (no zone, no prefix); no surrounding whitespace,
 * nothing non-ASCII, never a DNS lookup. IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) is reduced to
 * IPv4 before anything else looks at it, so no check can be bypassed through it.
 */
public final class StrictIp {
  private StrictIp() {}

  private static final int MAX_LENGTH = 45;

  private static final IPAddressStringParameters RULES = new IPAddressStringParameters.Builder()
      .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowWildcardedSeparator(false)
      .allowPrefix(false).allowMask(false).setEmptyAsLoopback(false).allowPrefixOnly(false)
      .getIPv4AddressParametersBuilder()
        .allowLeadingZeros(false).allowUnlimitedLeadingZeros(false).allow_inet_aton(false)
        .allowBinary(false).allowWildcardedSeparator(false).allowPrefixLengthLeadingZeros(false)
        .getParentBuilder()
      .getIPv6AddressParametersBuilder()
        .allowLeadingZeros(true).allowUnlimitedLeadingZeros(false).allowZone(false).allowBinary(false)
        .allowWildcardedSeparator(false).allowBase85(false).allowPrefixLengthLeadingZeros(false)
        .getParentBuilder()
      .toParams();

  /** The canonical text of {@code text} (IPv4 dotted quad, or RFC 5952 IPv6), or empty when it is not a plain IP. */
  public static Optional<String> canonical(String text) {
    return parse(text).map(IPAddress::toCanonicalString);
  }

  /** The parsed address, IPv4-mapped IPv6 already reduced to IPv4; empty when not a plain IP. */
  public static Optional<IPAddress> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) return Optional.empty();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
      if (!ok) return Optional.empty();
    }
    if (text.indexOf('.') >= 0 && !plainDottedQuad(text.substring(text.lastIndexOf(':') + 1))) return Optional.empty();
    IPAddress addr;
    try {
      addr = new IPAddressString(text, RULES).toAddress();
    } catch (AddressStringException | RuntimeException e) {
      return Optional.empty();
    }
    if (addr == null || addr.isMultiple() || addr.isPrefixed()) return Optional.empty();
    if (addr.isIPv4()) {
      // Dotted quad only, so "127.1", "167772161" and the like never pass.
      if (!plainDottedQuad(text)) return Optional.empty();
      return Optional.of(addr);
    }
    IPv6Address v6 = addr.toIPv6();
    if (v6.isIPv4Mapped()) {
      IPv4Address v4 = v6.getEmbeddedIPv4Address();
      return Optional.of(v4);
    }
    return Optional.of(v6);
  }

  /** Four decimal parts of 1-3 digits without leading zeros: the only IPv4 spelling nftables and the JDK agree on. */
  private static boolean plainDottedQuad(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return false;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return false;
      for (int i = 0; i < p.length(); i++) if (p.charAt(i) < '0' || p.charAt(i) > '9') return false;
    }
    return true;
  }

  /**
   * True for addresses that are never blocked whatever the config says: loopback, link-local,
   * unspecified, broadcast, multicast, "this network" 0.0.0.0/8, the deprecated IPv4-compatible
   * IPv6 form, and anything that is not a plain IP.
   */
  public static boolean isAlwaysProtected(String text) {
    Optional<IPAddress> p = parse(text);
    if (p.isEmpty()) return true;
    IPAddress a = p.get();
    if (a.isLoopback() || a.isLinkLocal() || a.isMulticast() || a.isUnspecified() || a.isZero()) return true;
    if (a.isIPv4()) {
      int first = a.getSegment(0).getSegmentValue();
      int second = a.getSegment(1).getSegmentValue();
      if (first == 0 || first == 127) return true;
      if (first == 169 && second == 254) return true;
      return a.toCanonicalString().equals("255.255.255.255") || first >= 224;
    }
    int firstSeg = a.getSegment(0).getSegmentValue();
    if ((firstSeg & 0xffc0) == 0xfe80) return true; // fe80::/10 link-local
    // Deprecated IPv4-compatible form (::a.b.c.d) hides an IPv4 address: refuse rather than guess.
    return a.toIPv6().isIPv4Compatible();
  }

  /**
   * True for private-network sources, bannable only with {@code firewall.ban_private_networks}:
   * RFC 1918 (10/8, 172.16/12, 192.168/16), CGNAT 100.64.0.0/10, unique-local fc00::/7 and the
   * deprecated site-local fec0::/10.
   */
  public static boolean isPrivateNetwork(String text) {
    Optional<IPAddress> p = parse(text);
    if (p.isEmpty()) return false;
    IPAddress a = p.get();
    if (a.isIPv4()) {
      int first = a.getSegment(0).getSegmentValue();
      int second = a.getSegment(1).getSegmentValue();
      return first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)
          || (first == 100 && second >= 64 && second <= 127);
    }
    int firstSeg = a.getSegment(0).getSegmentValue();
    return (firstSeg & 0xfe00) == 0xfc00 || (firstSeg & 0xffc0) == 0xfec0;
  }

  /** Never blocked with the default settings: always protected, or a private network. */
  public static boolean isNeverBlock(String text) { return isAlwaysProtected(text) || isPrivateNetwork(text); }
}
