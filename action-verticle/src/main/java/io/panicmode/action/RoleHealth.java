package io.panicmode.action;

import io.panicmode.contracts.Role;
import io.panicmode.runtime.StatusBoard;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The action role's line on /health when several independent things can be wrong at once (the
 * ledger, the firewall, the replay memory, the consumers of the action address): each source sets
 * or clears its own problem, and the role is degraded with all current problems, or ok with none.
 * One source clearing its problem no longer hides another's. Event loop only.
 */
final class RoleHealth {
  private final StatusBoard board;
  private final Role role;
  private final Map<String, String> problems = new LinkedHashMap<>();
  private boolean started;

  RoleHealth(StatusBoard board, Role role) {
    this.board = board;
    this.role = role;
  }

  /** Sets {@code source}'s problem, or clears it when {@code problem} is null. */
  void set(String source, String problem) {
    String before = problem == null ? problems.remove(source) : problems.put(source, problem);
    if (!Objects.equals(before, problem)) publish();
  }

  /** The role is up: from now on the board shows ok when nothing is wrong (before, it shows starting). */
  void started() {
    started = true;
    publish();
  }

  private void publish() {
    if (!problems.isEmpty()) board.degraded(role, String.join("; ", problems.values()));
    else if (started) board.ok(role);
  }
}
