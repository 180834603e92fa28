package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The action role's reading of who consumes its address. */
class SoleConsumerVerdictTest {
  private static final String ADDR = "panicmode.action.h1";

  @Test
  void onlyOurOneClusterRegistrationIsHealthy() {
    assertNull(SoleConsumerWatch.verdict("me", List.of(new RegistrationInfo("me", 1, false)), ADDR));
    // Local-only consumers are not visible to other nodes: they cannot take commands from the cluster.
    assertNull(SoleConsumerWatch.verdict("me", List.of(new RegistrationInfo("me", 1, false), new RegistrationInfo("me", 2, true)), ADDR));
  }

  @Test
  void aForeignRegistrationIsNamed() {
    String v = SoleConsumerWatch.verdict("me", List.of(new RegistrationInfo("me", 1, false), new RegistrationInfo("evil", 7, false)), ADDR);
    assertTrue(v.startsWith("foreign consumer on " + ADDR) && v.contains("evil"), v);
  }

  @Test
  void ourRegistrationMissingOrDoubledIsReported() {
    assertTrue(SoleConsumerWatch.verdict("me", List.of(), ADDR).contains("missing from the cluster"));
    assertTrue(SoleConsumerWatch.verdict("me", List.of(new RegistrationInfo("me", 1, false), new RegistrationInfo("me", 2, false)), ADDR)
        .startsWith("2 consumers"));
  }
}
