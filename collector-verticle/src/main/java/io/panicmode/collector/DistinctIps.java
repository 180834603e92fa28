package io.panicmode.collector;

import java.util.HashSet;
import java.util.Set;

/**
 * Counts distinct canonical IPs compactly: IPv4 addresses as 32-bit numbers (4 bytes each instead of
 * a String and a map node), other addresses in a plain set. A log of a million attackers then fits
 * the small heap {@code bin/panicmode} gives batch commands.
 *
 * <p>Why partitioned: inserting a million random addresses into one table misses the cache on nearly
 * every insert. Addresses are first appended to one of 256 small buffers by the top byte of their
 * hash, and a full buffer is inserted into that partition's own open-addressing table at once, while
 * that table is in cache.
 */
final class DistinctIps {
  private static final int PARTITIONS = 256;
  private static final int BUFFERED = 64;
  private final int[][] buffers = new int[PARTITIONS][BUFFERED];
  private final int[] buffered = new int[PARTITIONS];
  /** Per partition, IPv4 addresses; 0 marks an empty slot, so 0.0.0.0 is a flag of its own. */
  private final int[][] tables = new int[PARTITIONS][];
  private final int[] shifts = new int[PARTITIONS];
  private final int[] counts = new int[PARTITIONS];
  private boolean zero;
  private final Set<String> others = new HashSet<>();

  DistinctIps() {
    for (int p = 0; p < PARTITIONS; p++) {
      tables[p] = new int[64];
      shifts[p] = 32 - 6;
    }
  }

  /** A dotted quad is at most 15 characters. */
  private final byte[] text = new byte[15];

  void add(String ip) {
    long packed = packIpv4(ip);
    if (packed < 0) {
      others.add(ip);
    } else if (packed == 0) {
      zero = true;
    } else {
      int key = (int) packed;
      int p = hash(key) >>> 24;
      buffers[p][buffered[p]++] = key;
      if (buffered[p] == BUFFERED) drain(p);
    }
  }

  int size() {
    int n = (zero ? 1 : 0) + others.size();
    for (int p = 0; p < PARTITIONS; p++) {
      drain(p);
      n += counts[p];
    }
    return n;
  }

  /** Multiplicative hashing: the top byte picks the partition, the bits below it the slot. */
  private static int hash(int key) { return key * 0x9E3779B9; }

  private void drain(int p) {
    int[] buffer = buffers[p];
    for (int i = 0; i < buffered[p]; i++) insert(p, buffer[i]);
    buffered[p] = 0;
  }

  private void insert(int p, int key) {
    int[] table = tables[p];
    int mask = table.length - 1;
    int i = (hash(key) << 8) >>> shifts[p];
    while (table[i] != 0) {
      if (table[i] == key) return;
      i = (i + 1) & mask;
    }
    table[i] = key;
    if (++counts[p] * 2 > table.length) grow(p);
  }

  private void grow(int p) {
    int[] old = tables[p];
    int[] table = new int[old.length * 2];
    tables[p] = table;
    shifts[p]--;
    int mask = table.length - 1;
    for (int key : old) {
      if (key == 0) continue;
      int i = (hash(key) << 8) >>> shifts[p];
      while (table[i] != 0) i = (i + 1) & mask;
      table[i] = key;
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
