package io.panicmode.detector.auth;

import io.panicmode.config.MonitorRule;
import io.panicmode.contracts.Subjects;
import io.panicmode.detector.check.RuleCheck;
import io.panicmode.detector.check.RuleInfo;
import io.panicmode.detector.check.Transitions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One auth_failures rule, evaluated per source IP: an IP fires when its failures within the
 * rule's window exceed the threshold (held for the rule's duration), and clears when its count
 * falls to threshold - margin as old failures leave the window. Per-IP state is capped at
 * {@code maxSubjects} (least recently seen evicted, counted); an IP whose window is empty is
 * forgotten on the next {@link #tick}. Each event costs O(1) amortised.
 */
public final class AuthTracker {
  private final RuleInfo info;
  private final long windowMs;
  private final double threshold;
  private final double margin;
  private final long durationMs;
  private final int capacity;
  private final int maxSubjects;
  private final LongAdder evictions;
  private final LinkedHashMap<String, IpWindow> table = new LinkedHashMap<>(1024, 0.75f, true);
  private final LinkedHashMap<String, IpWindow> active = new LinkedHashMap<>();

  public AuthTracker(MonitorRule rule, long windowMs, double hysteresisPercent, int maxSubjects, LongAdder evictions) {
    this.info = new RuleInfo(rule.name(), rule.type().wire(), rule.threshold(), ">", rule.actions(), Subjects::ofIps);
    this.windowMs = windowMs;
    this.threshold = rule.threshold();
    this.margin = RuleCheck.margin(rule, hysteresisPercent);
    this.durationMs = rule.duration() == null ? 0 : rule.duration().toMillis();
    this.capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1, (long) Math.floor(threshold) + 1));
    this.maxSubjects = maxSubjects;
    this.evictions = evictions;
  }

  public RuleInfo info() { return info; }

  public long windowMs() { return windowMs; }

  /** One failure from {@code ip} if it is already tracked under that exact key; false (nothing done) otherwise. */
  public boolean recordIfTracked(String ip, long now, Transitions t) {
    IpWindow w = table.get(ip);
    if (w == null) return false;
    w.add(now, capacity);
    evaluate(w, now, t);
    return true;
  }

  /** One failure from {@code ip} (canonical form) at {@code now}. */
  public void record(String ip, long now, Transitions t) {
    IpWindow w = table.get(ip);
    if (w == null) {
      w = new IpWindow(ip);
      table.put(ip, w);
      evict(t);
    }
    w.add(now, capacity);
    evaluate(w, now, t);
  }

  private void evaluate(IpWindow w, long now, Transitions t) {
    int n = w.count(now, windowMs);
    String id = w.hold.incidentId();
    boolean wasActive = w.hold.isActive();
    switch (w.hold.step(n > threshold, n <= threshold - margin, now, durationMs)) {
      case FIRE -> t.fire(info, w.ip, n, w.hold);
      case CLEAR -> t.clear(w.ip, id);
      default -> { }
    }
    if (w.hold.isActive() != wasActive) {
      if (wasActive) active.remove(w.ip);
      else active.put(w.ip, w);
    }
  }

  /** Lets time pass: pending IPs may fire, firing IPs whose failures aged out clear, empty windows are dropped. */
  public void tick(long now, Transitions t) {
    if (!active.isEmpty()) {
      for (IpWindow w : new ArrayList<>(active.values())) evaluate(w, now, t);
    }
    long floor = now - windowMs;
    for (Iterator<IpWindow> it = table.values().iterator(); it.hasNext(); ) {
      IpWindow w = it.next();
      if (w.last() > floor) break;
      if (!w.hold.isActive()) it.remove();
    }
  }

  private void evict(Transitions t) {
    while (table.size() > maxSubjects) {
      Iterator<IpWindow> it = table.values().iterator();
      IpWindow w = it.next();
      it.remove();
      active.remove(w.ip);
      evictions.increment();
      String id = w.hold.incidentId();
      if (w.hold.reset()) t.clear(w.ip, id);
    }
  }

  public int tracked() { return table.size(); }

  /** Failure times per IP still inside the window, for the state file. */
  public Map<String, long[]> windows(long now) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (IpWindow w : table.values()) {
      if (w.count(now, windowMs) > 0) out.put(w.ip, w.times());
    }
    return out;
  }

  /** Restores failure times of one IP (from the state file), least recently seen first. */
  public void restoreWindow(String ip, long[] times) {
    IpWindow w = table.computeIfAbsent(ip, IpWindow::new);
    w.restore(times, capacity);
  }

  /** Marks an IP firing for an incident restored from the state file. */
  public void restoreFiring(String ip, String incidentId, long firedAt) {
    IpWindow w = table.computeIfAbsent(ip, IpWindow::new);
    w.hold.restoreFiring(incidentId, firedAt);
    active.put(ip, w);
  }
}
