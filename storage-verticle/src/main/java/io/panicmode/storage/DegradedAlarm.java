package io.panicmode.storage;

import io.panicmode.contracts.Incident;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The one {@code storage_degraded} incident per bad spell of the database. A disk that is nearly
 * full flaps: a small commit fits in space SQLite already holds, the next batch does not. Each flap
 * would otherwise be a new firing alert and a new RECOVERED alert; here a recovery is only
 * announced once the database has stayed writable for a hold time ({@link #HOLD} by default), and a relapse inside that
 * time continues the same incident without a new alert. The caller reports the status board at
 * once either way; only the alerts are held.
 * <p>
 * Plain logic with the time passed in: the verticle calls {@link #holdElapsed} from a timer.
 */
final class DegradedAlarm {
  static final Duration HOLD = Duration.ofSeconds(10);

  private final BiFunction<Long, String, Incident> newIncident;
  private final long holdMillis;
  private Incident firing;
  private long recoveredAt = -1;

  /** {@code newIncident} builds the firing incident for a spell starting at a time, for a reason. */
  DegradedAlarm(Duration hold, BiFunction<Long, String, Incident> newIncident) {
    this.holdMillis = hold.toMillis();
    this.newIncident = newIncident;
  }

  /** The firing incident to alert, or empty when this continues the spell already alerted. */
  Optional<Incident> degraded(long now, String reason) {
    recoveredAt = -1;
    if (firing != null) return Optional.empty();
    firing = newIncident.apply(now, reason);
    return Optional.of(firing);
  }

  /** Starts the hold; the caller asks {@link #holdElapsed} once the hold time has passed. */
  void recovered(long now) {
    if (firing != null && recoveredAt < 0) recoveredAt = now;
  }

  /** The resolved incident to alert when the database stayed writable through the hold. */
  Optional<Incident> holdElapsed(long now) {
    if (firing == null || recoveredAt < 0 || now - recoveredAt < holdMillis) return Optional.empty();
    Incident resolved = firing.resolved(now);
    firing = null;
    recoveredAt = -1;
    return Optional.of(resolved);
  }
}
