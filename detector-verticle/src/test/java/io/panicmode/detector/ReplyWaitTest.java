package io.panicmode.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detector waits for an action's result as long as the action itself may run (twice, plus a margin for its turn). */
class ReplyWaitTest {
  @Test
  void aSlowHookOrSnapshotIsWaitedForNotCountedAsFailed() throws Exception {
    PanicConfig cfg = ConfigLoader.parse("""
        circuit_breakers: {timeout: 10s}
        actions:
          page: {action: /opt/page.sh, timeout: 60s}
        """, "wait.yaml", Map.of());
    assertEquals(2 * 61_000 + 5_000, EventBusOutputs.replyWaitMs(command("run_script", "page"), cfg));
    assertEquals(2 * 30_000 + 5_000, EventBusOutputs.replyWaitMs(command("snapshot", ""), cfg));
    assertEquals(2 * 10_000 + 5_000, EventBusOutputs.replyWaitMs(command("kill_process", ""), cfg));
  }

  private static ActionCommand command(String op, String target) {
    return new ActionCommand("i:0:" + op, "h", op, List.of(), List.of(), 0, "", target, null, "detector", 0, "");
  }
}
