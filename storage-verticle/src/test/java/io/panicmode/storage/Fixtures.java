package io.panicmode.storage;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.MetricsRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Shared test data and helpers. */
final class Fixtures {
  private Fixtures() {}

  static final String HOST = "web-1";

  static PanicConfig config(Path db) throws Exception {
    return ConfigLoader.parse("""
        node:
          id: web-1
        storage:
          incident_db: "%s"
          retention: 1d
        """.formatted(db), "test", Map.of());
  }

  static Incident incident(String id, String host, String rule, Severity sev, long firedAt) {
    return new Incident(id, host, rule, "cpu_usage", sev, Incident.State.FIRING, rule + " exceeded threshold: 97.0 > 80.0",
        "details", 97.0, 80.0, Subjects.ofIps(List.of("203.0.113.7")), List.of("alert_critical"), firedAt, null);
  }

  static WriteApplier.Decoded decoded(StorageWrite w) {
    return WriteApplier.decode(StorageWrite.fromJson(w.toJson()));
  }

  static WriteApplier.Decoded incidentWrite(Incident i) {
    return decoded(StorageWrite.incident(i));
  }

  static WriteApplier.Decoded blockWrite(String host, String ip, long at, Long expires, String cmd) {
    return decoded(StorageWrite.block(new BlockRecord(host, ip, at, expires, "manual", null, 1), cmd));
  }

  static io.vertx.core.json.JsonObject blockWriteJson(String host, String ip, long at, String cmd) {
    return StorageWrite.block(new BlockRecord(host, ip, at, null, "manual", null, 1), cmd).toJson();
  }

  static long count(Path db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    final AtomicLong millis;

    ManualClock(long start) { millis = new AtomicLong(start); }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
    @Override public long millis() { return millis.get(); }
  }

  /** Records listener calls. */
  static final class Events implements Writer.Listener {
    final java.util.concurrent.CopyOnWriteArrayList<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override public void degraded(String reason) { log.add("degraded: " + reason); }
    @Override public void recovered() { log.add("recovered"); }
  }

  static Writer writer(Path db, Clock clock, Writer.Tuning t, Writer.Listener l) {
    return new Writer(db, HOST, clock, java.time.Duration.ofDays(1), t, l, new MetricsRegistry());
  }

  static Writer.Tuning fast(int capacity) {
    return new Writer.Tuning(capacity, 500, java.time.Duration.ofMillis(100), java.time.Duration.ofHours(1));
  }
}
