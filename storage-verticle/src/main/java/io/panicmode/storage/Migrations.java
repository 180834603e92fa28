package io.panicmode.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations, tracked in SQLite's {@code user_version}. Version 1 is the schema
 * the Rust daemon wrote (a database it left behind opens at version 0 with these tables, which
 * {@code CREATE ... IF NOT EXISTS} keeps); version 2 is the fleet schema. Each migration runs in
 * its own {@code BEGIN IMMEDIATE} transaction together with the version bump, so a crash leaves
 * the database at the old or the new version, never in between.
 */
final class Migrations {
  private Migrations() {}

  /** One step; {@code legacyHost} names the host rows from a single-host database belong to. */
  private interface Step {
    void apply(Connection c, String legacyHost) throws SQLException;
  }

  private record Migration(int version, String name, Step step) {}

  private static final List<Migration> ALL = List.of(
      new Migration(1, "rust daemon schema", Migrations::v1),
      new Migration(2, "fleet schema: stable incident ids, block ledger, agents, action results", Migrations::v2),
      new Migration(3, "alert deliveries per incident", Migrations::v3));

  static int latest() { return ALL.get(ALL.size() - 1).version(); }

  /** Applies every migration above the database's version; returns the version reached. */
  static int migrate(Connection c, String legacyHost) throws SQLException {
    int current = version(c);
    if (current > latest()) {
      throw new SQLException("database schema version " + current + " is newer than this PanicMode (" + latest()
          + "); refusing to touch it");
    }
    for (Migration m : ALL) {
      if (m.version() <= current) continue;
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        try {
          m.step().apply(c, legacyHost);
          s.execute("PRAGMA user_version = " + m.version());
          s.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
          s.execute("ROLLBACK");
          throw e;
        }
      }
      current = m.version();
    }
    return current;
  }

  static int version(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** The tables as the Rust daemon created them: fired_at and blocked_at in unix seconds. */
  private static void v1(Connection c, String legacyHost) throws SQLException {
    exec(c, """
        CREATE TABLE IF NOT EXISTS incidents (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          fired_at INTEGER NOT NULL,
          name TEXT NOT NULL,
          severity TEXT NOT NULL,
          description TEXT NOT NULL,
          monitor_type TEXT NOT NULL,
          threshold REAL NOT NULL,
          current_value REAL NOT NULL,
          details TEXT NOT NULL)""");
    exec(c, "CREATE INDEX IF NOT EXISTS idx_incidents_fired_at ON incidents(fired_at DESC)");
    exec(c, """
        CREATE TABLE IF NOT EXISTS blocked_ips (
          ip TEXT PRIMARY KEY,
          blocked_at INTEGER NOT NULL,
          reason TEXT NOT NULL)""");
  }

  /**
   * The fleet schema. Old incidents keep their history: they get the id {@code legacy-<n>}, this
   * host, times in milliseconds, and are marked resolved at their fire time (the Rust daemon never
   * recorded a resolution). Old bans become active, permanent rows of the ledger.
   */
  private static void v2(Connection c, String legacyHost) throws SQLException {
    exec(c, """
        CREATE TABLE incidents_v2 (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          incident_id TEXT NOT NULL UNIQUE,
          host TEXT NOT NULL,
          rule TEXT NOT NULL,
          monitor_type TEXT NOT NULL,
          severity TEXT NOT NULL,
          state TEXT NOT NULL,
          description TEXT NOT NULL,
          details TEXT NOT NULL,
          current_value REAL NOT NULL,
          threshold REAL NOT NULL,
          subjects TEXT NOT NULL,
          actions TEXT NOT NULL,
          fired_at INTEGER NOT NULL,
          resolved_at INTEGER,
          updated_at INTEGER NOT NULL)""");
    try (PreparedStatement p = c.prepareStatement("""
        INSERT INTO incidents_v2 (incident_id, host, rule, monitor_type, severity, state, description, details,
          current_value, threshold, subjects, actions, fired_at, resolved_at, updated_at)
        SELECT 'legacy-' || id, ?, name, monitor_type,
          CASE lower(severity) WHEN 'critical' THEN 'critical' WHEN 'emergency' THEN 'critical'
            WHEN 'warning' THEN 'warning' ELSE 'info' END,
          'resolved', description, details, current_value, threshold, ?, '[]',
          fired_at * 1000, fired_at * 1000, fired_at * 1000
        FROM incidents ORDER BY id""")) {
      p.setString(1, legacyHost);
      p.setString(2, WriteApplier.EMPTY_SUBJECTS);
      p.executeUpdate();
    }
    exec(c, "DROP TABLE incidents");
    exec(c, "ALTER TABLE incidents_v2 RENAME TO incidents");
    // Every filter the api offers is "<column> = ? ORDER BY fired_at DESC, seq DESC": one index each.
    exec(c, "CREATE INDEX idx_incidents_fired ON incidents(fired_at DESC, seq DESC)");
    exec(c, "CREATE INDEX idx_incidents_host ON incidents(host, fired_at DESC, seq DESC)");
    exec(c, "CREATE INDEX idx_incidents_rule ON incidents(rule, fired_at DESC, seq DESC)");
    exec(c, "CREATE INDEX idx_incidents_severity ON incidents(severity, fired_at DESC, seq DESC)");

    exec(c, """
        CREATE TABLE blocks (
          host TEXT NOT NULL,
          ip TEXT NOT NULL,
          blocked_at INTEGER NOT NULL,
          expires_at INTEGER,
          reason TEXT NOT NULL,
          incident_id TEXT,
          count INTEGER NOT NULL,
          active INTEGER NOT NULL,
          unblocked_at INTEGER,
          unblocked_by TEXT,
          unblock_reason TEXT,
          PRIMARY KEY (host, ip))""");
    exec(c, "CREATE INDEX idx_blocks_blocked ON blocks(blocked_at DESC)");
    exec(c, """
        CREATE TABLE block_events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          host TEXT NOT NULL,
          ip TEXT NOT NULL,
          event TEXT NOT NULL,
          at INTEGER NOT NULL,
          by TEXT NOT NULL,
          reason TEXT NOT NULL,
          incident_id TEXT,
          expires_at INTEGER,
          count INTEGER)""");
    exec(c, "CREATE INDEX idx_block_events_ip ON block_events(host, ip, at)");
    exec(c, "CREATE INDEX idx_block_events_at ON block_events(at)");
    try (PreparedStatement p = c.prepareStatement("""
        INSERT INTO blocks (host, ip, blocked_at, expires_at, reason, incident_id, count, active)
        SELECT ?, ip, blocked_at * 1000, NULL, reason, NULL, 1, 1 FROM blocked_ips""")) {
      p.setString(1, legacyHost);
      p.executeUpdate();
    }
    try (PreparedStatement p = c.prepareStatement("""
        INSERT INTO block_events (host, ip, event, at, by, reason, incident_id, expires_at, count)
        SELECT ?, ip, 'block', blocked_at * 1000, 'legacy', reason, NULL, NULL, 1 FROM blocked_ips""")) {
      p.setString(1, legacyHost);
      p.executeUpdate();
    }
    exec(c, "DROP TABLE blocked_ips");

    exec(c, """
        CREATE TABLE agents (
          host TEXT NOT NULL,
          node TEXT NOT NULL,
          roles TEXT NOT NULL,
          version TEXT NOT NULL,
          last_seen INTEGER NOT NULL,
          uptime_secs INTEGER NOT NULL,
          summary TEXT NOT NULL,
          PRIMARY KEY (host, node))""");
    exec(c, "CREATE INDEX idx_agents_seen ON agents(last_seen)");
    exec(c, """
        CREATE TABLE action_results (
          command_id TEXT PRIMARY KEY,
          host TEXT,
          op TEXT,
          status TEXT NOT NULL,
          reason TEXT NOT NULL,
          retryable INTEGER NOT NULL,
          affected TEXT NOT NULL,
          finished_at INTEGER NOT NULL)""");
    exec(c, "CREATE INDEX idx_action_results_finished ON action_results(finished_at)");
    // Ids of applied writes whose effect is not idempotent by itself (bans, unbans): a retried
    // StorageWrite is recognised and acknowledged without applying it twice.
    exec(c, "CREATE TABLE applied_writes (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) WITHOUT ROWID");
    exec(c, "CREATE INDEX idx_applied_writes_at ON applied_writes(applied_at)");
  }

  /** What each channel did with each alert: one row per alert, channel and delivery round. */
  private static void v3(Connection c, String legacyHost) throws SQLException {
    exec(c, """
        CREATE TABLE alert_deliveries (
          write_id TEXT PRIMARY KEY,
          alert_id TEXT NOT NULL,
          incident_id TEXT NOT NULL,
          host TEXT NOT NULL,
          channel TEXT NOT NULL,
          attempts INTEGER NOT NULL,
          outcome TEXT NOT NULL,
          error TEXT NOT NULL,
          at INTEGER NOT NULL)""");
    exec(c, "CREATE INDEX idx_alert_deliveries_incident ON alert_deliveries(incident_id, at)");
    exec(c, "CREATE INDEX idx_alert_deliveries_at ON alert_deliveries(at)");
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
