package io.panicmode.detector.check;

import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;

/**
 * One thing the detector evaluates on every metrics snapshot: a configured rule or a built-in
 * anomaly. A check reads per-subject observations; {@link Hold} turns them into fire and clear
 * transitions. Implementations are pure, run on the detector's thread, and cost time linear in
 * the snapshot. A metric that is absent or listed in {@code unavailable} yields no observation:
 * it is never read as 0, so it neither fires nor clears anything.
 */
public interface Check {
  /** Rule name, or the anomaly name (cpu_spike, ...). Part of the dedup key. */
  String name();

  /** The rule's monitor type ({@code cpu_usage}, ...) or {@code anomaly}. */
  String monitorType();

  double threshold();

  /** The action list as configured (or the anomaly's built-in list). */
  List<String> actions();

  /** How long the condition must hold before firing; 0 = at once. */
  long durationMs();

  /** ">" for rules, ">=" for anomalies that fire at the threshold itself; used in descriptions. */
  String comparator();

  void evaluate(MetricsSnapshot snapshot, Sink sink);

  /**
   * True when this snapshot reports every subject the check could observe, so a subject with no
   * observation is gone (e.g. an IP that closed its connections) and clears. False (the default)
   * means a missing observation changes nothing.
   */
  default boolean coversAllSubjects(MetricsSnapshot snapshot) { return false; }

  /** Structured subjects of an incident covering {@code keys} (the subject keys that fired). */
  Subjects subjects(List<String> keys, MetricsSnapshot snapshot);

  /** Receives one observation per subject key ("" for a host-wide value). */
  interface Sink {
    /**
     * @param over    the firing condition holds
     * @param cleared the value is back inside the hysteresis band (only read while firing)
     */
    void accept(String subject, double value, boolean over, boolean cleared);
  }
}
