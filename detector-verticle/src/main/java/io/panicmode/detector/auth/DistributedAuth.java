package io.panicmode.detector.auth;

import io.panicmode.contracts.Subjects;
import io.panicmode.detector.check.Hold;
import io.panicmode.detector.check.RuleInfo;
import io.panicmode.detector.check.Transitions;
import java.util.Arrays;
import java.util.List;

/**
 * The distributed-attack signal: all auth failures of the host (whitelisted sources excluded)
 * within {@code detector.auth_window}, against {@code detector.distributed_auth_threshold}. Many
 * IPs each staying under the per-IP threshold still add up here. It names no IP (there is none
 * to block) and only alerts (warning). Counted in one-second buckets, so the window edge is exact
 * to the second; O(1) per event and fixed memory whatever the number of sources.
 */
public final class DistributedAuth {
  public static final String NAME = "distributed_auth_failures";

  private final RuleInfo info;
  private final double threshold;
  private final double margin;
  private final int buckets;
  private final long[] counts;
  private final long[] second;
  private final Hold hold = new Hold();
  private long total;
  private long expiredUpTo = Long.MIN_VALUE;

  public DistributedAuth(double threshold, long windowMs, double hysteresisPercent) {
    this.info = new RuleInfo(NAME, "auth_failures", threshold, ">", List.of("alert_warning"), k -> Subjects.NONE);
    this.threshold = threshold;
    this.margin = threshold * hysteresisPercent / 100.0;
    this.buckets = (int) Math.max(1, (windowMs + 999) / 1000);
    this.counts = new long[buckets];
    this.second = new long[buckets];
    Arrays.fill(second, Long.MIN_VALUE);
  }

  public RuleInfo info() { return info; }

  public void record(long now, Transitions t) {
    long sec = Math.floorDiv(now, 1000);
    expire(sec);
    int i = (int) Math.floorMod(sec, (long) buckets);
    if (second[i] != sec) {
      total -= counts[i];
      counts[i] = 0;
      second[i] = sec;
    }
    counts[i]++;
    total++;
    evaluate(now, t);
  }

  public void tick(long now, Transitions t) {
    expire(Math.floorDiv(now, 1000));
    evaluate(now, t);
  }

  /** Failures counted in the window as of the last call. */
  public long total() { return total; }

  private void evaluate(long now, Transitions t) {
    String id = hold.incidentId();
    switch (hold.step(total > threshold, total <= threshold - margin, now, 0)) {
      case FIRE -> t.fire(info, "", total, hold);
      case CLEAR -> t.clear("", id);
      default -> { }
    }
  }

  /** Drops buckets of seconds that left the window; amortised O(1), at most one pass over the ring. */
  private void expire(long sec) {
    long upTo = sec - buckets;
    if (upTo <= expiredUpTo) return;
    long from = expiredUpTo == Long.MIN_VALUE || upTo - expiredUpTo > buckets ? upTo - buckets + 1 : expiredUpTo + 1;
    for (long s = from; s <= upTo; s++) {
      int i = (int) Math.floorMod(s, (long) buckets);
      if (second[i] != Long.MIN_VALUE && second[i] <= upTo) {
        total -= counts[i];
        counts[i] = 0;
        second[i] = Long.MIN_VALUE;
      }
    }
    expiredUpTo = upTo;
  }

  /** Marks the signal firing for an incident restored from the state file. */
  public void restoreFiring(String incidentId, long firedAt) { hold.restoreFiring(incidentId, firedAt); }
}
