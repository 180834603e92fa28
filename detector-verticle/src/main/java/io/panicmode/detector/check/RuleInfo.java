package io.panicmode.detector.check;

import io.panicmode.config.ActionKind;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.Subjects;
import java.util.List;
import java.util.function.Function;

/**
 * What an incident says about the thing that fired: rule (or anomaly) name, monitor type,
 * threshold, comparison, the configured action list, and how subject keys become structured
 * {@link Subjects}.
 */
public record RuleInfo(String name, String monitorType, double threshold, String comparator, List<String> actions,
                       Function<List<String>, Subjects> subjects) {
  public RuleInfo {
    actions = List.copyOf(actions);
  }

  public Severity severity() { return ActionKind.severityOf(actions); }
}
