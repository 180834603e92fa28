package io.panicmode.alert;

import java.util.ArrayDeque;

/**
 * Sliding one-minute window of individual messages sent on one channel: admits up to
 * {@code limit} per window; above that the caller puts alerts into a digest. Holds at most
 * {@code limit} timestamps.
 */
final class RateWindow {
  private final int limit;
  private final long windowMs;
  private final ArrayDeque<Long> sent = new ArrayDeque<>();

  RateWindow(int limit, long windowMs) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Records a send at {@code now} and returns true when fewer than {@code limit} were sent in the window before it. */
  boolean tryAcquire(long now) {
    while (!sent.isEmpty() && sent.peekFirst() <= now - windowMs) sent.pollFirst();
    if (sent.size() >= limit) return false;
    sent.addLast(now);
    return true;
  }
}
