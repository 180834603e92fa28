package io.panicmode.collector;

import java.util.HashSet;
import java.util.Set;

/**
 * Counts distinct canonical IPs compactly: IPv4 addresses as ints in an open-addressing table
 * (4 bytes each instead of a String and a map node), other addresses in a plain set. A log of a
 * million attackers then fits the small heap {@code bin/panicmode} gives batch commands.
 */
final class DistinctIps {
  private int[] table = new int[1 << 12];
  private boolean hasZero;
  private int v4;
  private final Set<String> others = new HashSet<>();

  void add(String ip) {
    int packed = packIpv4(ip);
    if (packed == -1 && !"255.255.255.255".equals(ip)) {
      others.add(ip);
      return;
    }
    if (packed == 0) {
      if (!hasZero) {
        hasZero = true;
        v4++;
      }
      return;
    }
    int mask = table.length - 1;
    int i = mix(packed) & mask;
    while (table[i] != 0) {
      if (table[i] == packed) return;
      i = (i + 1) & mask;
    }
    table[i] = packed;
    if (++v4 * 2 > table.length) grow();
  }

  int size() { return v4 + others.size(); }

  private void grow() {
    int[] old = table;
    table = new int[old.length * 2];
    int mask = table.length - 1;
    for (int x : old) {
      if (x == 0) continue;
      int i = mix(x) & mask;
      while (table[i] != 0) i = (i + 1) & mask;
      table[i] = x;
    }
  }

  private static int mix(int x) {
    x *= 0x9E3779B9;
    return x ^ (x >>> 16);
  }

  /** The dotted quad as an int, or -1 when {@code ip} is not one (IPv6). */
  static int packIpv4(String ip) {
    int value = 0;
    int part = 0;
    int parts = 0;
    int digits = 0;
    for (int i = 0; i < ip.length(); i++) {
      char c = ip.charAt(i);
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
