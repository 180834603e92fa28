package io.panicmode.detector.check;

/**
 * The firing state of one (check, subject): OK, PENDING while the condition has held for less
 * than the check's duration (Prometheus {@code for}), FIRING until the value clears the
 * hysteresis band. Plain and single-threaded: the owner calls it from one thread.
 */
public final class Hold {
  public enum Phase { OK, PENDING, FIRING }

  /** What one reading changed. */
  public enum Step { NONE, FIRE, CLEAR }

  private Phase phase = Phase.OK;
  private long since;
  private String incidentId;

  /**
   * @param over      the firing condition holds (e.g. value &gt; threshold)
   * @param cleared   the value is back inside the hysteresis band (e.g. value &lt;= threshold - margin);
   *                  between the two nothing changes, which is what stops flapping
   * @param durationMs how long {@code over} must hold before firing; 0 fires at once
   */
  public Step step(boolean over, boolean cleared, long now, long durationMs) {
    switch (phase) {
      case OK -> {
        if (!over) return Step.NONE;
        since = now;
        if (durationMs <= 0) {
          phase = Phase.FIRING;
          return Step.FIRE;
        }
        phase = Phase.PENDING;
        return Step.NONE;
      }
      case PENDING -> {
        if (!over) {
          phase = Phase.OK;
          return Step.NONE;
        }
        if (now - since >= durationMs) {
          phase = Phase.FIRING;
          return Step.FIRE;
        }
        return Step.NONE;
      }
      default -> {
        if (!cleared) return Step.NONE;
        phase = Phase.OK;
        incidentId = null;
        return Step.CLEAR;
      }
    }
  }

  public Phase phase() { return phase; }

  public boolean isActive() { return phase != Phase.OK; }

  /** The incident this subject belongs to while FIRING. */
  public String incidentId() { return incidentId; }

  public void incidentId(String id) { this.incidentId = id; }

  /** Puts the subject straight into FIRING for a restored incident (restart). */
  public void restoreFiring(String id, long firedAt) {
    phase = Phase.FIRING;
    since = firedAt;
    incidentId = id;
  }

  /** Forgets the state: used when the subject is evicted or its data vanished. Returns true if it was FIRING. */
  public boolean reset() {
    boolean firing = phase == Phase.FIRING;
    phase = Phase.OK;
    incidentId = null;
    return firing;
  }
}
