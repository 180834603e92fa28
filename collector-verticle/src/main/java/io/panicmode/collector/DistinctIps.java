package io.panicmode.collector;

import java.util.HashSet;
import java.util.Set;

/**
 * Counts distinct canonical IPs compactly: IPv4 addresses as 32-bit numbers in an open-addressing
 * table (4 bytes each instead of a String and a map node; half of a table of longs, so half the cache
 * misses on a million random addresses), other addresses in a plain set. A log of a million
 * attackers then fits the small heap {@code bin/panicmode} gives batch commands.
 */
final class DistinctIps {
  /** IPv4 addresses; 0 marks an empty slot, so 0.0.0.0 is a flag of its own. */
  private int[] v4 = new int[1 << 12];
  private int v4Shift = 32 - 12;
  private int v4Count;
  private boolean zero;
  private final Set<String> others = new HashSet<>();

  /** A dotted quad is at most 15 characters. */
  private final byte[] text = new byte[15];

  void add(String ip) {
    long packed = packIpv4(ip);
    if (packed < 0) others.add(ip);
    else if (packed == 0) zero = true;
    else addV4((int) packed);
  }

  int size() { return v4Count + (zero ? 1 : 0) + others.size(); }

  private void addV4(int key) {
    int mask = v4.length - 1;
    int i = slot(key);
    while (v4[i] != 0) {
      if (v4[i] == key) return;
      i = (i + 1) & mask;
    }
    v4[i] = key;
    if (++v4Count * 2 > v4.length) grow();
  }

  /** Multiplicative hashing: the top bits of the product index the table. */
  private int slot(int key) { return (key * 0x9E3779B9) >>> v4Shift; }

  private void grow() {
    int[] old = v4;
    v4 = new int[old.length * 2];
    v4Shift--;
    int mask = v4.length - 1;
    for (int key : old) {
      if (key == 0) continue;
      int i = slot(key);
      while (v4[i] != 0) i = (i + 1) & mask;
      v4[i] = key;
    }
  }

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
