package io.panicmode.detector.check;

/** Receives the fire and clear transitions of trackers; implemented by the detector core. */
public interface Transitions {
  /** {@code subject} of {@code rule} started firing with {@code value}; the core sets the hold's incident id. */
  void fire(RuleInfo rule, String subject, double value, Hold hold);

  /** {@code subject}, part of incident {@code incidentId} (may be null), is back to normal. */
  void clear(String subject, String incidentId);
}
