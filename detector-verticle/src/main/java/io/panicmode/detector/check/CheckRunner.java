package io.panicmode.detector.check;

import io.panicmode.contracts.MetricsSnapshot;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs one {@link Check} over snapshots: one {@link Hold} per subject key, at most
 * {@code maxSubjects} of them (least recently observed evicted first, counted; an evicted firing
 * subject is cleared so its incident does not stay open forever).
 */
public final class CheckRunner {
  private final Check check;
  private final RuleInfo info;
  private final int maxSubjects;
  private final LongAdder evictions;
  private final LinkedHashMap<String, Hold> holds = new LinkedHashMap<>(16, 0.75f, true);
  private MetricsSnapshot last;

  public CheckRunner(Check check, int maxSubjects, LongAdder evictions) {
    this.check = check;
    this.maxSubjects = maxSubjects;
    this.evictions = evictions;
    this.info = new RuleInfo(check.name(), check.monitorType(), check.threshold(), check.comparator(), check.actions(),
        keys -> check.subjects(keys, last));
  }

  public RuleInfo info() { return info; }

  public void evaluate(MetricsSnapshot s, long now, Transitions t) {
    last = s;
    Set<String> seen = check.coversAllSubjects(s) ? new HashSet<>() : null;
    check.evaluate(s, (subject, value, over, cleared) -> {
      if (seen != null) seen.add(subject);
      Hold h = holds.get(subject);
      if (h == null) {
        if (!over) return; // nothing to remember for a subject that is fine
        h = new Hold();
        holds.put(subject, h);
        evict(t);
      }
      step(subject, h, value, over, cleared, now, t);
      if (!h.isActive()) holds.remove(subject);
    });
    if (seen != null) {
      for (Iterator<Map.Entry<String, Hold>> it = holds.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Hold> e = it.next();
        if (seen.contains(e.getKey())) continue;
        String id = e.getValue().incidentId();
        if (e.getValue().reset()) t.clear(e.getKey(), id);
        it.remove();
      }
    }
  }

  private void step(String subject, Hold h, double value, boolean over, boolean cleared, long now, Transitions t) {
    String id = h.incidentId();
    switch (h.step(over, cleared, now, check.durationMs())) {
      case FIRE -> t.fire(info, subject, value, h);
      case CLEAR -> t.clear(subject, id);
      default -> { }
    }
  }

  private void evict(Transitions t) {
    while (holds.size() > maxSubjects) {
      Iterator<Map.Entry<String, Hold>> it = holds.entrySet().iterator();
      Map.Entry<String, Hold> e = it.next();
      String id = e.getValue().incidentId();
      boolean firing = e.getValue().reset();
      it.remove();
      evictions.increment();
      if (firing) t.clear(e.getKey(), id);
    }
  }

  /** Marks a subject firing for an incident restored from the state file. */
  public void restoreFiring(String subject, String incidentId, long firedAt) {
    Hold h = new Hold();
    h.restoreFiring(incidentId, firedAt);
    holds.put(subject, h);
  }

  public int tracked() { return holds.size(); }
}
