package io.panicmode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.panicmode.contracts.Role;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Process-wide problems (a role deployed twice or not at all, a queue in memory) show as reasons. */
class StatusBoardTest {
  @Test
  void aRoleWithOtherThanOneDeploymentIsAReason() {
    StatusBoard board = new StatusBoard();
    board.ok(Role.ACTION);
    board.deploymentCounts(() -> Map.of("action", 1, "alert", 1));
    assertEquals(Map.of(), board.reasons());
    board.deploymentCounts(() -> Map.of("action", 2, "alert", 0));
    assertEquals("action has 2 deployments running, expected 1; alert has 0 deployments running, expected 1",
        board.reasons().get("deployments"));
    assertEquals(Map.of("action", 2, "alert", 0), board.deployments());
  }

  @Test
  void aFailingCheckIsAReasonUntilItClears() {
    StatusBoard board = new StatusBoard();
    AtomicReference<String> problem = new AtomicReference<>("central outbox in memory: disk full (3 held in memory)");
    board.check("central_outbox", problem::get);
    assertEquals(Map.of("central_outbox", "central outbox in memory: disk full (3 held in memory)"), board.reasons());
    problem.set(null);
    assertFalse(board.reasons().containsKey("central_outbox"));
  }
}
