package io.panicmode.detector.auth;

import io.panicmode.detector.check.Hold;
import java.util.Arrays;

/**
 * The recent failure times of one source IP: a ring of at most {@code capacity} timestamps
 * (threshold + 1 is enough to decide "over", and every count below it is exact). The ring grows
 * on demand, so an IP seen once costs one slot. Times are kept non-decreasing.
 */
final class IpWindow {
  final String ip;
  final Hold hold = new Hold();
  private long[] ts = new long[1];
  private int head;
  private int size;

  IpWindow(String ip) { this.ip = ip; }

  void add(long t, int capacity) {
    if (size > 0 && t < last()) t = last();
    if (size == ts.length && size < capacity) grow(Math.min(capacity, ts.length * 2));
    if (size < ts.length) {
      ts[(head + size) % ts.length] = t;
      size++;
    } else {
      ts[head] = t;
      head = (head + 1) % ts.length;
    }
  }

  private void grow(int n) {
    long[] bigger = new long[n];
    for (int i = 0; i < size; i++) bigger[i] = ts[(head + i) % ts.length];
    ts = bigger;
    head = 0;
  }

  /** Failures in (now - windowMs, now]; drops older ones. */
  int count(long now, long windowMs) {
    long floor = now - windowMs;
    while (size > 0 && ts[head] <= floor) {
      head = (head + 1) % ts.length;
      size--;
    }
    return size;
  }

  long last() { return size == 0 ? Long.MIN_VALUE : ts[(head + size - 1) % ts.length]; }

  long[] times() {
    long[] out = new long[size];
    for (int i = 0; i < size; i++) out[i] = ts[(head + i) % ts.length];
    return out;
  }

  void restore(long[] times, int capacity) {
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    for (long t : sorted) add(t, capacity);
  }
}
