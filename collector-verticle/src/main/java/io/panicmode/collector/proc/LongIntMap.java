package io.panicmode.collector.proc;

import java.util.Arrays;

/** Open-addressing map from non-negative long to int count; avoids boxing for 100,000 sockets. */
final class LongIntMap {
  interface Visitor { void visit(long key, int count); }

  private long[] keys = filled(1024);
  private int[] counts = new int[1024];
  private int size;

  void increment(long key) {
    int mask = keys.length - 1;
    int i = (int) (spread(key) & mask);
    while (keys[i] != -1 && keys[i] != key) i = (i + 1) & mask;
    if (keys[i] == -1) {
      keys[i] = key;
      if (++size * 2 > keys.length) {
        counts[i]++;
        grow();
        return;
      }
    }
    counts[i]++;
  }

  void forEach(Visitor v) {
    for (int i = 0; i < keys.length; i++) if (keys[i] != -1) v.visit(keys[i], counts[i]);
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    keys = filled(oldKeys.length * 2);
    counts = new int[keys.length];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] == -1) continue;
      int i = (int) (spread(oldKeys[j]) & mask);
      while (keys[i] != -1) i = (i + 1) & mask;
      keys[i] = oldKeys[j];
      counts[i] = oldCounts[j];
    }
  }

  private static long[] filled(int n) {
    long[] a = new long[n];
    Arrays.fill(a, -1);
    return a;
  }

  static long spread(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 32);
  }
}
