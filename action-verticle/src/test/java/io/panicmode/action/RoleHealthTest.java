package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.panicmode.contracts.Role;
import io.panicmode.runtime.StatusBoard;
import org.junit.jupiter.api.Test;

/** Independent problems of the action role are shown together and cleared one by one. */
class RoleHealthTest {
  @Test
  void oneSourceClearingDoesNotHideAnother() {
    StatusBoard board = new StatusBoard();
    board.starting(Role.ACTION);
    RoleHealth h = new RoleHealth(board, Role.ACTION);
    h.started();
    assertEquals("ok", board.snapshot().get("action"));
    h.set("replay", "replay memory not writable");
    h.set("consumers", "foreign consumer");
    assertEquals("replay memory not writable; foreign consumer", board.reasons().get("action"));
    h.set("consumers", null);
    assertEquals("degraded", board.snapshot().get("action"));
    assertEquals("replay memory not writable", board.reasons().get("action"));
    h.set("replay", null);
    assertEquals("ok", board.snapshot().get("action"));
  }

  @Test
  void staysStartingUntilStartedUnlessSomethingIsWrong() {
    StatusBoard board = new StatusBoard();
    board.starting(Role.ACTION);
    RoleHealth h = new RoleHealth(board, Role.ACTION);
    h.set("ledger", null);
    assertEquals("starting", board.snapshot().get("action"));
    h.set("ledger", "block ledger unavailable");
    assertEquals("degraded", board.snapshot().get("action"));
  }
}
