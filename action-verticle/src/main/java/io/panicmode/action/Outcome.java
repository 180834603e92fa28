package io.panicmode.action;

import io.panicmode.contracts.ActionResult.Status;
import java.util.List;

/** What an action did, before it becomes an {@code ActionResult}: status, why, whether a retry may help, what was touched. */
public record Outcome(Status status, String reason, boolean retryable, List<String> affected) {
  public Outcome {
    reason = reason == null ? "" : reason;
    affected = List.copyOf(affected);
  }

  public static Outcome done(List<String> affected, String note) { return new Outcome(Status.DONE, note, false, affected); }

  public static Outcome skipped(String reason) { return new Outcome(Status.SKIPPED, reason, false, List.of()); }

  public static Outcome failed(String reason, boolean retryable) { return new Outcome(Status.FAILED, reason, retryable, List.of()); }
}
