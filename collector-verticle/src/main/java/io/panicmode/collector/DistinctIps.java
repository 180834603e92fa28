package io.panicmode.collector;

import io.panicmode.collector.proc.LongSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts distinct canonical IPs compactly: IPv4 addresses as numbers in a {@link LongSet} (8 bytes
 * each instead of a String and a map node), other addresses in a plain set. A log of a million
 * attackers then fits the small heap {@code bin/panicmode} gives batch commands.
 */
final class DistinctIps {
  private final LongSet v4 = new LongSet();
  private final Set<String> others = new HashSet<>();

  /** A dotted quad is at most 15 characters. */
  private final byte[] text = new byte[15];

  void add(String ip) {
    long packed = packIpv4(ip);
    if (packed < 0) others.add(ip);
    else v4.add(packed);
  }

  int size() { return v4.size() + others.size(); }

  /** The canonical dotted quad as a number, or -1 when {@code ip} is not one (IPv6). */
  @SuppressWarnings("deprecation")
  private long packIpv4(String ip) {
    int n = ip.length();
    if (n > 15) return -1;
    // Canonical addresses are ASCII: copied in one block, then read as bytes (a charAt loop
    // costs auth-scan a few percent).
    ip.getBytes(0, n, text, 0);
    long value = 0;
    int part = 0;
    int parts = 0;
    int digits = 0;
    for (int i = 0; i < n; i++) {
      byte c = text[i];
      if (c >= '0' && c <= '9') {
        part = part * 10 + (c - '0');
        if (++digits > 3) return -1;
      } else if (c == '.' && digits > 0) {
        value = (value << 8) | part;
        part = 0;
        digits = 0;
        parts++;
      } else {
        return -1;
      }
    }
    if (parts != 3 || digits == 0) return -1;
    return (value << 8) | part;
  }
}
