package io.panicmode.collector.proc;

/** Open-addressing set of longs (0 is tracked apart, being the empty marker). */
public final class LongSet {
  private long[] keys;
  private int size;
  private boolean hasZero;

  public LongSet() { this(0); }

  /** @param expected members expected, so the table is sized once instead of grown */
  public LongSet(int expected) {
    int cap = 1024;
    while (cap < expected * 2 + 2 && cap < (1 << 28)) cap <<= 1;
    keys = new long[cap];
  }

  public void add(long k) {
    if (k == 0) {
      if (!hasZero) {
        hasZero = true;
        size++;
      }
      return;
    }
    int mask = keys.length - 1;
    int i = (int) (LongIntMap.spread(k) & mask);
    while (keys[i] != 0) {
      if (keys[i] == k) return;
      i = (i + 1) & mask;
    }
    keys[i] = k;
    if (++size * 2 > keys.length) grow();
  }

  public boolean contains(long k) {
    if (k == 0) return hasZero;
    int mask = keys.length - 1;
    int i = (int) (LongIntMap.spread(k) & mask);
    while (keys[i] != 0) {
      if (keys[i] == k) return true;
      i = (i + 1) & mask;
    }
    return false;
  }

  public int size() { return size; }

  /** How many members of this set are not in {@code earlier}. */
  public int countNotIn(LongSet earlier) {
    int n = hasZero && !earlier.contains(0) ? 1 : 0;
    for (long k : keys) if (k != 0 && !earlier.contains(k)) n++;
    return n;
  }

  private void grow() {
    long[] old = keys;
    keys = new long[old.length * 2];
    int mask = keys.length - 1;
    for (long k : old) {
      if (k == 0) continue;
      int i = (int) (LongIntMap.spread(k) & mask);
      while (keys[i] != 0) i = (i + 1) & mask;
      keys[i] = k;
    }
  }
}
