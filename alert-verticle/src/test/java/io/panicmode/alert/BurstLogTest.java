package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window is closed by hand: the test holds the timer's action instead of waiting for it. */
class BurstLogTest {
  final List<String> lines = new ArrayList<>();
  final List<Runnable> timers = new ArrayList<>();
  final BurstLog log = new BurstLog(lines::add, 10_000, (ms, action) -> {
    assertEquals(10_000L, ms);
    timers.add(action);
  });

  @Test
  void aBurstWritesItsFirstLineAndOneSummaryWithTheLatest() {
    for (int i = 1; i <= 200; i++) log.warn("alert a" + i + " failed");
    assertEquals(List.of("alert a1 failed"), lines);
    assertEquals(1, timers.size(), "one window, one timer");
    timers.remove(0).run();
    assertEquals(List.of("alert a1 failed", "and 199 more like it, the latest: alert a200 failed"), lines);
  }

  @Test
  void aLoneWarningHasNoSummaryAndTheNextWindowStartsAfresh() {
    log.warn("first");
    timers.remove(0).run();
    log.warn("second");
    log.warn("third");
    timers.remove(0).run();
    assertEquals(List.of("first", "second", "and 1 more like it, the latest: third"), lines);
    assertEquals(0, timers.size());
  }

  @Test
  void flushWritesTheSummaryOnceWithoutWaitingForTheTimer() {
    log.warn("first");
    log.warn("second");
    log.flush();
    timers.remove(0).run();
    assertEquals(List.of("first", "and 1 more like it, the latest: second"), lines);
  }
}
