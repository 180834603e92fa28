package io.panicmode.detector.check;

import io.panicmode.config.MonitorRule;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import java.util.List;

/**
 * A configured rule over a {@link Signal}: fires when value &gt; threshold (held for
 * {@code duration}), clears when value &lt;= threshold - margin, where margin is the rule's
 * {@code hysteresis} or {@code detector.hysteresis} percent of the threshold.
 */
public final class RuleCheck implements Check {
  private final MonitorRule rule;
  private final Signal signal;
  private final double margin;

  public RuleCheck(MonitorRule rule, Signal signal, double hysteresisPercent) {
    this.rule = rule;
    this.signal = signal;
    this.margin = margin(rule, hysteresisPercent);
  }

  /** The hysteresis band of a rule in the rule's own unit. */
  public static double margin(MonitorRule rule, double hysteresisPercent) {
    return rule.hysteresis() != null ? rule.hysteresis() : Math.abs(rule.threshold()) * hysteresisPercent / 100.0;
  }

  @Override public String name() { return rule.name(); }
  @Override public String monitorType() { return rule.type().wire(); }
  @Override public double threshold() { return rule.threshold(); }
  @Override public List<String> actions() { return rule.actions(); }
  @Override public long durationMs() { return rule.duration() == null ? 0 : rule.duration().toMillis(); }
  @Override public String comparator() { return ">"; }

  @Override
  public void evaluate(MetricsSnapshot snapshot, Sink sink) {
    double thr = rule.threshold();
    signal.read(snapshot, (subject, v) -> sink.accept(subject, v, v > thr, v <= thr - margin));
  }

  @Override
  public Subjects subjects(List<String> keys, MetricsSnapshot snapshot) { return signal.subjects(keys); }
}
