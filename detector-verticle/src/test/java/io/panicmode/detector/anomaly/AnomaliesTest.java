package io.panicmode.detector.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.AnomalyConfig;
import io.panicmode.contracts.net.BanRules;
import io.panicmode.contracts.net.IpSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The registry and the names the config accepts in anomaly.disabled are the same list. */
class AnomaliesTest {
  private static final BanRules RULES = new BanRules(IpSet.parse(List.of()), false);

  private static AnomalyConfig config(boolean enabled, List<String> disabled) {
    return new AnomalyConfig(enabled, disabled, 95, 95, 50, 10_000, 3, 10, 50);
  }

  private static Set<String> names(List<Anomaly> anomalies) {
    return anomalies.stream().map(Anomaly::name).collect(Collectors.toSet());
  }

  @Test
  void everyConfigNameIsOneAnomalyAndDisablingRemovesExactlyIt() {
    assertEquals(AnomalyConfig.NAMES, names(Anomalies.enabled(config(true, List.of()), 10, RULES)));
    for (String name : AnomalyConfig.NAMES) {
      Set<String> left = names(Anomalies.enabled(config(true, List.of(name)), 10, RULES));
      assertEquals(AnomalyConfig.NAMES.size() - 1, left.size(), name);
      assertTrue(!left.contains(name), name);
    }
    assertEquals(Set.of(), names(Anomalies.enabled(config(false, List.of()), 10, RULES)));
  }
}
