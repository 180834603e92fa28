package io.panicmode.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.runtime.CommandSigner;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorWarmupTest {
  static final String RULES = """
      node: {id: warm-host}
      monitors:
        - {name: ssh_brute_force, type: auth_failures, threshold: %d, window: 10m, actions: [block_ip, alert_critical]}
      """;

  @Test
  void everySyntheticAttackerFiresOnceWithSignedCommands() throws Exception {
    PanicConfig cfg = ConfigLoader.parse(RULES.formatted(2), "warmup.yaml", Map.of());
    assertEquals(50, DetectorWarmup.run(cfg, "warm-host", new CommandSigner(new byte[32]), 50));
  }

  @Test
  void aHighThresholdStopsAtTheEventBudget() throws Exception {
    PanicConfig cfg = ConfigLoader.parse(RULES.formatted(1_000_000), "warmup.yaml", Map.of());
    assertEquals(0, DetectorWarmup.run(cfg, "warm-host", null, 50));
  }

  @Test
  void withoutAuthRulesNothingFires() throws Exception {
    PanicConfig cfg = ConfigLoader.parse("node: {id: warm-host}\nmonitors: []\n", "warmup.yaml", Map.of());
    assertEquals(0, DetectorWarmup.run(cfg, "warm-host", null, 50));
  }
}
