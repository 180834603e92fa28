package io.panicmode.action.firewall;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * This host's own record of its bans: a small SQLite file ({@code block_ledger.db} next to
 * {@code storage.incident_db}) that survives restarts without any other node, so
 * {@code restore_on_startup} and expiry never wait on the storage verticle. One connection,
 * explicit {@code BEGIN IMMEDIATE}/{@code COMMIT} (see VERTX-NOTES on pooled transactions); every
 * method is synchronized and blocking, for a worker thread. {@code count} survives an unban so
 * repeat offenders escalate. Each ban remembers the id of its storage write and whether storage
 * acknowledged it, so a ban applied just before a crash (or while storage was away) is reported to
 * storage at the next start.
 */
public final class BlockLedger implements AutoCloseable {
  /**
   * A row: an active or lifted ban.
   *
   * @param writeId the id of the storage write that reports this ban (stable, so a resend is one
   *                row in storage), or null when none was made
   */
  public record Entry(String ip, long blockedAt, Long expiresAt, String reason, String incidentId, int count, boolean active,
                      String writeId) {
    public Entry(String ip, long blockedAt, Long expiresAt, String reason, String incidentId, int count, boolean active) {
      this(ip, blockedAt, expiresAt, reason, incidentId, count, active, null);
    }
  }

  private Connection conn;
  // Set while the ledger is held in memory because this file could not be opened; null on disk.
  private Path pendingFile;

  public BlockLedger(Path file) throws SQLException {
    this(open(file));
  }

  /**
   * A ledger held in memory because {@code file} cannot be opened (full or read-only disk), so
   * blocking still works; {@link #tryReturnToDisk} moves what it holds into the file once it can.
   */
  public static BlockLedger inMemoryUntil(Path file) throws SQLException {
    BlockLedger l = new BlockLedger(DriverManager.getConnection("jdbc:sqlite::memory:"));
    l.pendingFile = file;
    return l;
  }

  /** True while the ledger is held in memory, waiting for its file. */
  public synchronized boolean inMemory() {
    return pendingFile != null;
  }

  /** How many ban rows the ledger holds (in memory while {@link #inMemory}). */
  public synchronized int size() throws SQLException {
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM bans")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Opens the file again and writes every row held in memory into it (memory wins over an older
   * row for the same IP), then uses the file. Returns true when the ledger is on disk afterwards;
   * on failure it stays in memory, nothing lost, and the caller tries again later.
   */
  public synchronized boolean tryReturnToDisk() {
    if (pendingFile == null) return true;
    Connection disk;
    try {
      disk = open(pendingFile);
    } catch (SQLException e) {
      return false;
    }
    try {
      new BlockLedger(disk); // creates or upgrades the schema in the file
    } catch (SQLException e) {
      try {
        disk.close();
      } catch (SQLException suppressed) {
        // it could not be used anyway
      }
      return false;
    }
    try {
      try (PreparedStatement attach = conn.prepareStatement("ATTACH DATABASE ? AS disk")) {
        attach.setString(1, pendingFile.toAbsolutePath().toString());
        attach.execute();
      }
      try {
        inTransaction(() -> {
          try (Statement s = conn.createStatement()) {
            s.execute("INSERT INTO disk.bans(ip, blocked_at, expires_at, reason, incident_id, count, active, write_id, recorded)"
                + " SELECT ip, blocked_at, expires_at, reason, incident_id, count, active, write_id, recorded FROM main.bans"
                + " WHERE true ON CONFLICT(ip) DO UPDATE SET blocked_at=excluded.blocked_at, expires_at=excluded.expires_at,"
                + " reason=excluded.reason, incident_id=excluded.incident_id, count=max(count, excluded.count),"
                + " active=excluded.active, write_id=excluded.write_id, recorded=excluded.recorded");
          }
        });
      } finally {
        try (Statement s = conn.createStatement()) {
          s.execute("DETACH DATABASE disk");
        }
      }
    } catch (SQLException e) {
      try {
        disk.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      return false;
    }
    try {
      conn.close();
    } catch (SQLException ignored) {
      // the memory copy is no longer needed either way
    }
    conn = disk;
    pendingFile = null;
    return true;
  }

  private static Connection open(Path file) throws SQLException {
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create directory for " + file + ": " + e.getMessage(), e);
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private BlockLedger(Connection conn) throws SQLException {
    this.conn = conn;
    try (Statement s = conn.createStatement()) {
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("CREATE TABLE IF NOT EXISTS bans (ip TEXT PRIMARY KEY, blocked_at INTEGER NOT NULL, expires_at INTEGER,"
          + " reason TEXT NOT NULL, incident_id TEXT, count INTEGER NOT NULL, active INTEGER NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS bans_active_expiry ON bans(active, expires_at)");
      // Ledgers written before bans were reconciled with storage: their rows count as recorded.
      boolean hasRecorded = false;
      try (ResultSet rs = s.executeQuery("PRAGMA table_info(bans)")) {
        while (rs.next()) hasRecorded |= "recorded".equals(rs.getString("name"));
      }
      if (!hasRecorded) {
        s.execute("ALTER TABLE bans ADD COLUMN write_id TEXT");
        s.execute("ALTER TABLE bans ADD COLUMN recorded INTEGER NOT NULL DEFAULT 1");
      }
    }
  }

  /**
   * Records the bans (one transaction), not yet acknowledged by storage, and returns the stored
   * rows with their new counts.
   */
  public synchronized List<Entry> recordBans(List<Entry> bans) throws SQLException {
    List<Entry> out = new ArrayList<>();
    inTransaction(() -> {
      try (PreparedStatement up = conn.prepareStatement(
          "INSERT INTO bans(ip, blocked_at, expires_at, reason, incident_id, count, active, write_id, recorded)"
              + " VALUES (?,?,?,?,?,?,1,?,0)"
              + " ON CONFLICT(ip) DO UPDATE SET blocked_at=excluded.blocked_at, expires_at=excluded.expires_at,"
              + " reason=excluded.reason, incident_id=excluded.incident_id, count=excluded.count, active=1,"
              + " write_id=excluded.write_id, recorded=0")) {
        for (Entry e : bans) {
          up.setString(1, e.ip());
          up.setLong(2, e.blockedAt());
          if (e.expiresAt() == null) up.setNull(3, Types.INTEGER); else up.setLong(3, e.expiresAt());
          up.setString(4, e.reason());
          if (e.incidentId() == null) up.setNull(5, Types.VARCHAR); else up.setString(5, e.incidentId());
          up.setInt(6, e.count());
          if (e.writeId() == null) up.setNull(7, Types.VARCHAR); else up.setString(7, e.writeId());
          up.addBatch();
          out.add(new Entry(e.ip(), e.blockedAt(), e.expiresAt(), e.reason(), e.incidentId(), e.count(), true, e.writeId()));
        }
        up.executeBatch();
      }
    });
    return out;
  }

  /** How many times this IP was banned here before (0 if never). */
  public synchronized int priorCount(String ip) throws SQLException {
    try (PreparedStatement q = conn.prepareStatement("SELECT count FROM bans WHERE ip = ?")) {
      q.setString(1, ip);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  /** Marks the bans of these IPs lifted; returns the IPs that were active. */
  public synchronized List<String> deactivate(List<String> ips) throws SQLException {
    List<String> lifted = new ArrayList<>();
    inTransaction(() -> {
      try (PreparedStatement up = conn.prepareStatement("UPDATE bans SET active = 0 WHERE ip = ? AND active = 1")) {
        for (String ip : ips) {
          up.setString(1, ip);
          if (up.executeUpdate() > 0) lifted.add(ip);
        }
      }
    });
    return lifted;
  }

  public synchronized List<Entry> active() throws SQLException {
    return select("active = 1");
  }

  /** Bans whose storage write was never acknowledged (storage down, or the process died first). */
  public synchronized List<Entry> unrecorded() throws SQLException {
    return select("recorded = 0 AND write_id IS NOT NULL");
  }

  /** Notes that storage acknowledged these writes (ids from {@link Entry#writeId}). */
  public synchronized void markRecorded(List<String> writeIds) throws SQLException {
    inTransaction(() -> {
      try (PreparedStatement up = conn.prepareStatement("UPDATE bans SET recorded = 1 WHERE write_id = ?")) {
        for (String id : writeIds) {
          up.setString(1, id);
          up.addBatch();
        }
        up.executeBatch();
      }
    });
  }

  private List<Entry> select(String where) throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (Statement s = conn.createStatement();
         ResultSet rs = s.executeQuery("SELECT ip, blocked_at, expires_at, reason, incident_id, count, active, write_id FROM bans"
             + " WHERE " + where)) {
      while (rs.next()) {
        long exp = rs.getLong(3);
        Long expiresAt = rs.wasNull() ? null : exp;
        out.add(new Entry(rs.getString(1), rs.getLong(2), expiresAt, rs.getString(4), rs.getString(5), rs.getInt(6),
            rs.getInt(7) == 1, rs.getString(8)));
      }
    }
    return out;
  }

  @Override
  public synchronized void close() throws SQLException {
    conn.close();
  }

  private interface SqlWork {
    void run() throws SQLException;
  }

  private void inTransaction(SqlWork work) throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
    try {
      work.run();
      try (Statement s = conn.createStatement()) {
        s.execute("COMMIT");
      }
    } catch (SQLException | RuntimeException e) {
      try (Statement s = conn.createStatement()) {
        s.execute("ROLLBACK");
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}
