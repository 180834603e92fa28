package io.panicmode.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DegradedAlarmTest {
  private static final long HOLD = DegradedAlarm.HOLD.toMillis();

  private final DegradedAlarm alarm = new DegradedAlarm(DegradedAlarm.HOLD, (now, reason) -> new Incident("storage-degraded:h:" + now, "h",
      "storage_degraded", "self", Severity.CRITICAL, Incident.State.FIRING, "storage degraded: " + reason, "", 1, 0,
      null, List.of("alert_critical"), now, null));

  @Test
  void aFlappingDiskIsOneIncidentWithOneFiringAndOneResolvedAlert() {
    Optional<Incident> first = alarm.degraded(1_000, "SQLITE_FULL");
    assertTrue(first.isPresent());
    // A small commit fits, the next batch does not: three flaps inside the hold.
    for (long t = 2_000; t < 8_000; t += 2_000) {
      alarm.recovered(t);
      assertTrue(alarm.holdElapsed(t + HOLD / 2).isEmpty());
      assertTrue(alarm.degraded(t + 1_000, "SQLITE_FULL again").isEmpty(), "a relapse continues the incident");
      assertTrue(alarm.holdElapsed(t + HOLD + 1).isEmpty(), "a relapse cancels the pending recovery");
    }
    alarm.recovered(20_000);
    assertTrue(alarm.holdElapsed(20_000 + HOLD - 1).isEmpty(), "not before the hold");
    Incident resolved = alarm.holdElapsed(20_000 + HOLD).orElseThrow();
    assertEquals(first.get().id(), resolved.id());
    assertEquals(Incident.State.RESOLVED, resolved.state());
    assertTrue(alarm.holdElapsed(40_000).isEmpty(), "resolved once");
  }

  @Test
  void aNewSpellAfterARecoveryIsANewIncident() {
    String first = alarm.degraded(1_000, "disk I/O error").orElseThrow().id();
    alarm.recovered(2_000);
    assertTrue(alarm.holdElapsed(2_000 + HOLD).isPresent());
    Incident second = alarm.degraded(60_000, "SQLITE_FULL").orElseThrow();
    assertTrue(!second.id().equals(first) && second.description().contains("SQLITE_FULL"), second.toString());
  }

  @Test
  void recoveryWithoutAnAlertedSpellSendsNothing() {
    alarm.recovered(1_000);
    assertTrue(alarm.holdElapsed(1_000 + HOLD).isEmpty());
  }
}
