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
    String fast = fastCanonical(text);
    if (fast != null) return Optional.of(fast);
    return parse(text).map(IPAddress::toCanonicalString);
  }

  /**
   * The canonical form of the two common shapes without building an address object: a plain
   * dotted quad (its own canonical form), and a plain IPv6 address of hex groups whose first group
   * is not zero (so not mapped, compatible, loopback or unspecified), written as RFC 5952 says.
   * Null for anything else, which then takes the full parse; the answers are the same
   * ({@code StrictIpTest} compares both on random addresses).
   */
  static String fastCanonical(String t) {
    if (t == null) return null;
    int n = t.length();
    if (n >= 7 && n <= 15 && plainDottedQuad(t)) return t;
    if (n < 3 || n > 39) return null;
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = 0;
    if (t.charAt(0) == ':') {
      if (t.charAt(1) != ':') return null;
      gap = 0;
      i = 2;
      if (i == n) return null;
    }
    while (i < n) {
      int v = 0;
      int digits = 0;
      while (i < n && digits < 5) {
        int h = asciiHex(t.charAt(i));
        if (h < 0) break;
        v = (v << 4) | h;
        digits++;
        i++;
      }
      if (digits == 0 || digits > 4 || count == 8) return null;
      groups[count++] = v;
      if (i == n) break;
      if (t.charAt(i) != ':') return null;
      i++;
      if (i < n && t.charAt(i) == ':') {
        if (gap >= 0) return null;
        gap = count;
        i++;
      } else if (i == n) {
        return null;
      }
    }
    if (gap < 0 && count != 8) return null;
    if (gap >= 0 && count >= 8) return null;
    int[] full = new int[8];
    if (gap < 0) {
      System.arraycopy(groups, 0, full, 0, 8);
    } else {
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - (count - gap), count - gap);
    }
    if (full[0] == 0) return null;
    int bestStart = -1;
    int bestLen = 1;
    for (int g = 0; g < 8; ) {
      if (full[g] != 0) {
        g++;
        continue;
      }
      int start = g;
      while (g < 8 && full[g] == 0) g++;
      if (g - start > bestLen) {
        bestStart = start;
        bestLen = g - start;
      }
    }
    // Written as bytes, and the input itself returned when it already is the canonical text (the
    // usual case for addresses sshd logged): no builder, no string per group.
    byte[] out = new byte[39];
    int len = 0;
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        out[len++] = ':';
        out[len++] = ':';
        g += bestLen - 1;
        continue;
      }
      if (g > 0 && g != bestStart + bestLen) out[len++] = ':';
      int v = full[g];
      for (int shift = 12; shift >= 0; shift -= 4) {
        int digit = (v >>> shift) & 15;
        if (digit != 0 || shift == 0 || v >>> shift > digit) out[len++] = HEX_DIGITS[digit];
      }
    }
    if (len == n) {
      int i2 = 0;
      while (i2 < n && t.charAt(i2) == out[i2]) i2++;
      if (i2 == n) return t;
    }
    return new String(out, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static final byte[] HEX_DIGITS = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

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
  /** 0-15 for an ASCII hex digit, -1 for anything else (Character.digit would take full-width digits). */
  private static int asciiHex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  private static boolean plainDottedQuad(String s) {
    int n = s.length();
    if (n > 15) return false;
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > '9') return false;
      b[i] = (byte) c;
    }
    return isPlainDottedQuad(b, 0, n);
  }

  /**
   * True when {@code b[s, e)} is a dotted quad in its canonical form: four decimal parts of 1-3
   * digits, no leading zero, each at most 255. One pass, no allocation; the one check used for
   * text (above) and for raw log bytes (the sshd parser).
   */
  public static boolean isPlainDottedQuad(byte[] b, int s, int e) {
    int parts = 0;
    int p = s;
    while (p < e) {
      int start = p;
      int v = 0;
      while (p < e && b[p] >= '0' && b[p] <= '9') {
        v = v * 10 + (b[p] - '0');
        p++;
        if (p - start > 3) return false;
      }
      int len = p - start;
      if (len == 0 || (len > 1 && b[start] == '0') || v > 255) return false;
      parts++;
      if (p == e) break;
      if (b[p] != '.' || parts == 4) return false;
      p++;
      if (p == e) return false;
    }
    return parts == 4;
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
