package io.panicmode.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deletes what is older than {@code storage.retention}: incidents fired and last updated before, lifted or
 * expired bans and their history, action results, alert deliveries, agents not heard from, and the idempotency
 * record of old write ids. Deletes run in chunks, each its own short transaction, so queued writes
 * are never held behind one long delete.
 */
final class Retention {
  private Retention() {}

  static final int CHUNK = 5_000;

  private static final Map<String, String> DELETES = new LinkedHashMap<>();

  static {
    DELETES.put("incidents",
        "DELETE FROM incidents WHERE seq IN (SELECT seq FROM incidents WHERE fired_at < ?1 AND updated_at < ?1 LIMIT "
        + CHUNK + ")");
    DELETES.put("blocks", "DELETE FROM blocks WHERE rowid IN (SELECT rowid FROM blocks WHERE "
        + "(active = 0 AND unblocked_at < ?1) OR (expires_at IS NOT NULL AND expires_at < ?1) LIMIT " + CHUNK + ")");
    DELETES.put("block_events",
        "DELETE FROM block_events WHERE seq IN (SELECT seq FROM block_events WHERE at < ?1 LIMIT " + CHUNK + ")");
    DELETES.put("action_results", "DELETE FROM action_results WHERE rowid IN "
        + "(SELECT rowid FROM action_results WHERE finished_at < ?1 LIMIT " + CHUNK + ")");
    DELETES.put("alert_deliveries", "DELETE FROM alert_deliveries WHERE rowid IN "
        + "(SELECT rowid FROM alert_deliveries WHERE at < ?1 LIMIT " + CHUNK + ")");
    DELETES.put("agents", "DELETE FROM agents WHERE last_seen < ?1");
    DELETES.put("applied_writes", "DELETE FROM applied_writes WHERE id IN "
        + "(SELECT id FROM applied_writes WHERE applied_at < ?1 LIMIT " + CHUNK + ")");
  }

  /** Prunes rows older than {@code cutoff} (epoch ms); returns rows deleted per table. */
  static Map<String, Integer> prune(Connection c, long cutoff) throws SQLException {
    Map<String, Integer> deleted = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : DELETES.entrySet()) {
      int total = 0;
      try (PreparedStatement p = c.prepareStatement(e.getValue()); Statement s = c.createStatement()) {
        int n;
        do {
          s.execute("BEGIN IMMEDIATE");
          try {
            p.setLong(1, cutoff);
            n = p.executeUpdate();
            s.execute("COMMIT");
          } catch (SQLException ex) {
            s.execute("ROLLBACK");
            throw ex;
          }
          total += n;
        } while (n >= CHUNK);
      }
      deleted.put(e.getKey(), total);
    }
    return deleted;
  }
}
