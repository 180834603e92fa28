package io.panicmode.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
  @TempDir Path dir;

  @Test
  void emptyDatabaseReachesLatestSchemaInAFreshDirectory() throws Exception {
    Path db = dir.resolve("new/sub/incidents.db");
    try (Connection c = Database.openWriter(db, "web-1")) {
      assertEquals(Migrations.latest(), Migrations.version(c));
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        rs.next();
        assertEquals("wal", rs.getString(1));
      }
    }
    for (String table : new String[] {"incidents", "blocks", "block_events", "agents", "action_results", "applied_writes"}) {
      assertEquals(1, Fixtures.count(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='" + table + "'"), table);
    }
    assertEquals(0, Fixtures.count(db, "SELECT count(*) FROM sqlite_master WHERE name='blocked_ips'"));
    // Opening again is a no-op.
    try (Connection c = Database.openWriter(db, "web-1")) {
      assertEquals(Migrations.latest(), Migrations.version(c));
    }
  }

  @Test
  void rustDaemonDatabaseKeepsItsHistory() throws Exception {
    Path db = dir.resolve("incidents.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      // Exactly what the Rust daemon left behind: user_version 0, seconds, its severity spelling.
      s.execute("CREATE TABLE incidents (id INTEGER PRIMARY KEY AUTOINCREMENT, fired_at INTEGER NOT NULL, name TEXT NOT NULL,"
          + " severity TEXT NOT NULL, description TEXT NOT NULL, monitor_type TEXT NOT NULL, threshold REAL NOT NULL,"
          + " current_value REAL NOT NULL, details TEXT NOT NULL)");
      s.execute("CREATE INDEX idx_incidents_fired_at ON incidents(fired_at DESC)");
      s.execute("CREATE TABLE blocked_ips (ip TEXT PRIMARY KEY, blocked_at INTEGER NOT NULL, reason TEXT NOT NULL)");
      s.execute("INSERT INTO incidents (fired_at, name, severity, description, monitor_type, threshold, current_value, details)"
          + " VALUES (1700000000, 'high_cpu', 'Critical', 'high_cpu exceeded threshold: 97 > 80', 'CpuUsage', 80, 97, 'x'),"
          + " (1700000100, 'ssh', 'Warning', 'ssh exceeded', 'AuthFailures', 20, 30, 'y')");
      s.execute("INSERT INTO blocked_ips VALUES ('198.51.100.9', 1700000050, 'ssh brute force')");
    }
    try (Connection c = Database.openWriter(db, "old-host")) {
      assertEquals(Migrations.latest(), Migrations.version(c));
    }
    assertEquals(2, Fixtures.count(db, "SELECT count(*) FROM incidents"));
    assertEquals(1700000000000L, Fixtures.count(db, "SELECT fired_at FROM incidents WHERE incident_id = 'legacy-1'"));
    assertEquals(1, Fixtures.count(db, "SELECT count(*) FROM incidents WHERE incident_id = 'legacy-1' AND host = 'old-host'"
        + " AND severity = 'critical' AND state = 'resolved' AND rule = 'high_cpu'"));
    assertEquals(1, Fixtures.count(db, "SELECT count(*) FROM incidents WHERE incident_id = 'legacy-2' AND severity = 'warning'"));
    assertEquals(1, Fixtures.count(db, "SELECT count(*) FROM blocks WHERE host = 'old-host' AND ip = '198.51.100.9'"
        + " AND blocked_at = 1700000050000 AND active = 1 AND expires_at IS NULL AND reason = 'ssh brute force'"));
    assertEquals(1, Fixtures.count(db, "SELECT count(*) FROM block_events WHERE ip = '198.51.100.9' AND event = 'block'"));
    assertEquals(0, Fixtures.count(db, "SELECT count(*) FROM sqlite_master WHERE name='blocked_ips'"));
  }

  @Test
  void newerSchemaIsRefusedUntouched() throws Exception {
    Path db = dir.resolve("future.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }
    StorageException e = assertThrows(StorageException.class, () -> Database.openWriter(db, "h"));
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
    assertEquals(99, Fixtures.count(db, "PRAGMA user_version"));
  }
}
