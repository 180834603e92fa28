package io.panicmode.action;

import io.panicmode.contracts.ActionResult.Status;
import java.util.List;

/**
 * What an action did, before it becomes an {@code ActionResult}: status, why, whether a retry may
 * help, what was touched. {@code badInput} marks a FAILED outcome caused by the command's own
 * arguments (no valid IP, unknown cluster): it is not counted by the circuit breaker, or anyone
 * could open a breaker, and so switch an action off, by sending garbage.
 */
public record Outcome(Status status, String reason, boolean retryable, List<String> affected, boolean badInput) {
  public Outcome {
    reason = reason == null ? "" : reason;
    affected = List.copyOf(affected);
  }

  public Outcome(Status status, String reason, boolean retryable, List<String> affected) {
    this(status, reason, retryable, affected, false);
  }

  public static Outcome done(List<String> affected, String note) { return new Outcome(Status.DONE, note, false, affected); }

  public static Outcome skipped(String reason) { return new Outcome(Status.SKIPPED, reason, false, List.of()); }

  public static Outcome failed(String reason, boolean retryable) { return new Outcome(Status.FAILED, reason, retryable, List.of()); }

  /** FAILED because of the command's arguments; never a reason to open a breaker. */
  public static Outcome badInput(String reason) { return new Outcome(Status.FAILED, reason, false, List.of(), true); }
}
