package io.panicmode.launcher.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StaleAgentsTest {
  @Test
  void reportsOnceWhenSilentAndOnceOnReturn() {
    StaleAgents a = new StaleAgents(90_000, 100);
    a.heard("web-1", 0);
    a.heard("web-2", 0);
    assertTrue(a.check(60_000).isEmpty());
    a.heard("web-2", 60_000);
    assertEquals(List.of(new StaleAgents.Change("web-1", true, 0)), a.check(90_001));
    assertTrue(a.check(120_000).isEmpty(), "reported once, not at every check");
    a.heard("web-1", 130_000);
    assertEquals(List.of(new StaleAgents.Change("web-1", false, 130_000)), a.check(130_001));
    assertEquals(List.of(new StaleAgents.Change("web-2", true, 60_000)), a.check(150_001));
  }

  @Test
  void boundedForgettingTheLeastRecentlyHeard() {
    StaleAgents a = new StaleAgents(10, 2);
    a.heard("a", 0);
    a.heard("b", 1);
    a.heard("c", 2);
    List<StaleAgents.Change> c = a.check(100);
    assertEquals(2, c.size());
    assertTrue(c.stream().noneMatch(x -> x.host().equals("a")));
  }
}
