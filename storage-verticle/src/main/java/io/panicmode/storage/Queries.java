package io.panicmode.storage;

import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.StorageQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers a {@link StorageQuery} from a read connection. Pages are keyset pages: the cursor is the
 * sort key of the last row returned ({@code <time>.<rowid>}), so page 1000 costs what page 1 costs.
 * Every filter matches an index of the schema (see {@link Migrations}).
 */
final class Queries {
  private Queries() {}

  static JsonObject run(Connection c, StorageQuery q) throws SQLException {
    return switch (q.kind()) {
      case INCIDENTS -> incidents(c, q);
      case BLOCKS -> blocks(c, q);
      case AGENTS -> agents(c, q);
    };
  }

  private static JsonObject incidents(Connection c, StorageQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder("""
        SELECT seq, incident_id, host, rule, monitor_type, severity, state, description, details, current_value,
          threshold, subjects, actions, fired_at, resolved_at, updated_at FROM incidents WHERE 1 = 1""");
    List<Object> args = new ArrayList<>();
    eq(sql, args, "host", q.host());
    eq(sql, args, "severity", q.severity() == null ? null : q.severity().wire());
    eq(sql, args, "rule", q.rule());
    if (q.since() != null) { sql.append(" AND fired_at >= ?"); args.add(q.since()); }
    if (q.until() != null) { sql.append(" AND fired_at < ?"); args.add(q.until()); }
    long[] cursor = cursor(q.cursor());
    if (cursor != null) { sql.append(" AND (fired_at, seq) < (?, ?)"); args.add(cursor[0]); args.add(cursor[1]); }
    sql.append(" ORDER BY fired_at DESC, seq DESC LIMIT ?");
    args.add(q.limit() + 1);
    JsonArray items = new JsonArray();
    String next = null;
    long prevFiredAt = 0;
    long prevSeq = 0;
    try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        if (items.size() == q.limit()) {
          next = prevFiredAt + "." + prevSeq;
          break;
        }
        prevSeq = rs.getLong("seq");
        prevFiredAt = rs.getLong("fired_at");
        Long resolved = rs.getLong("resolved_at");
        if (rs.wasNull()) resolved = null;
        items.add(new JsonObject().put("v", 1).put("id", rs.getString("incident_id")).put("host", rs.getString("host"))
            .put("rule", rs.getString("rule")).put("monitorType", rs.getString("monitor_type"))
            .put("severity", rs.getString("severity")).put("state", rs.getString("state"))
            .put("description", rs.getString("description")).put("details", rs.getString("details"))
            .put("value", rs.getDouble("current_value")).put("threshold", rs.getDouble("threshold"))
            .put("subjects", new JsonObject(rs.getString("subjects"))).put("actions", new JsonArray(rs.getString("actions")))
            .put("firedAt", rs.getLong("fired_at")).put("resolvedAt", resolved).put("updatedAt", rs.getLong("updated_at")));
      }
    }
    try (PreparedStatement p = c.prepareStatement("""
        SELECT command_id, op, status, reason, retryable, affected, finished_at FROM action_results
        WHERE command_id >= ? AND command_id < ? ORDER BY command_id""")) {
      for (Object o : items) outcomes(p, (JsonObject) o);
    }
    try (PreparedStatement p = c.prepareStatement("SELECT alert_id, channel, attempts, outcome, error, at FROM "
        + "(SELECT rowid AS r, * FROM alert_deliveries WHERE incident_id = ? ORDER BY at DESC, rowid DESC LIMIT "
        + MAX_DELIVERIES_PER_INCIDENT + ") ORDER BY at, r")) {
      for (Object o : items) deliveries(p, (JsonObject) o);
    }
    return new JsonObject().put("ok", true).put("items", items).put("next", next);
  }

  /**
   * The outcome of each action command of the incident, as the action role reported it. The
   * detector's command ids are {@code <incident id>:<n>:<op>}, so they are a key range.
   */
  private static void outcomes(PreparedStatement p, JsonObject incident) throws SQLException {
    String id = incident.getString("id");
    p.setString(1, id + ":");
    p.setString(2, id + ";");
    JsonArray out = new JsonArray();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(new JsonObject().put("commandId", rs.getString(1)).put("op", rs.getString(2)).put("status", rs.getString(3))
            .put("reason", rs.getString(4)).put("retryable", rs.getInt(5) == 1).put("affected", new JsonArray(rs.getString(6)))
            .put("finishedAt", rs.getLong(7)));
      }
    }
    incident.put("outcomes", out);
  }

  /** An alert retried for hours on a dead channel has many rounds; the incident shows the latest ones. */
  static final int MAX_DELIVERIES_PER_INCIDENT = 50;

  /** Each alert delivery round per channel for the incident (firing and resolved alerts alike), oldest first. */
  private static void deliveries(PreparedStatement p, JsonObject incident) throws SQLException {
    p.setString(1, incident.getString("id"));
    JsonArray out = new JsonArray();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(new JsonObject().put("alertId", rs.getString(1)).put("channel", rs.getString(2)).put("attempts", rs.getInt(3))
            .put("outcome", rs.getString(4)).put("error", rs.getString(5)).put("at", rs.getLong(6)));
      }
    }
    incident.put("deliveries", out);
  }

  private static JsonObject blocks(Connection c, StorageQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder("""
        SELECT rowid, host, ip, blocked_at, expires_at, reason, incident_id, count, active, unblocked_at, unblocked_by,
          unblock_reason FROM blocks WHERE 1 = 1""");
    List<Object> args = new ArrayList<>();
    eq(sql, args, "host", q.host());
    eq(sql, args, "ip", q.ip());
    if (q.activeOnly()) { sql.append(" AND active = 1 AND (expires_at IS NULL OR expires_at > ?)"); args.add(q.now()); }
    if (q.since() != null) { sql.append(" AND blocked_at >= ?"); args.add(q.since()); }
    if (q.until() != null) { sql.append(" AND blocked_at < ?"); args.add(q.until()); }
    long[] cursor = cursor(q.cursor());
    if (cursor != null) { sql.append(" AND (blocked_at, rowid) < (?, ?)"); args.add(cursor[0]); args.add(cursor[1]); }
    sql.append(" ORDER BY blocked_at DESC, rowid DESC LIMIT ?");
    args.add(q.limit() + 1);
    JsonArray items = new JsonArray();
    String next = null;
    long prevBlockedAt = 0;
    long prevRowid = 0;
    try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        if (items.size() == q.limit()) {
          next = prevBlockedAt + "." + prevRowid;
          break;
        }
        prevRowid = rs.getLong("rowid");
        prevBlockedAt = rs.getLong("blocked_at");
        items.add(new JsonObject().put("host", rs.getString("host")).put("ip", rs.getString("ip"))
            .put("blockedAt", prevBlockedAt).put("expiresAt", nullableLong(rs, "expires_at"))
            .put("reason", rs.getString("reason")).put("incidentId", rs.getString("incident_id"))
            .put("count", rs.getInt("count")).put("active", rs.getInt("active") == 1)
            .put("unblockedAt", nullableLong(rs, "unblocked_at")).put("unblockedBy", rs.getString("unblocked_by"))
            .put("unblockReason", rs.getString("unblock_reason")));
      }
    }
    return new JsonObject().put("ok", true).put("items", items).put("next", next);
  }

  private static JsonObject agents(Connection c, StorageQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder(
        "SELECT host, node, roles, version, last_seen, uptime_secs, summary FROM agents WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    eq(sql, args, "host", q.host());
    sql.append(" ORDER BY last_seen DESC LIMIT ?");
    args.add(q.limit());
    JsonArray items = new JsonArray();
    try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        items.add(new JsonObject().put("host", rs.getString("host")).put("node", rs.getString("node"))
            .put("roles", new JsonObject(rs.getString("roles"))).put("version", rs.getString("version"))
            .put("lastSeen", rs.getLong("last_seen")).put("uptimeSecs", rs.getLong("uptime_secs"))
            .put("summary", new JsonObject(rs.getString("summary"))));
      }
    }
    return new JsonObject().put("ok", true).put("items", items).put("next", (String) null);
  }

  /** Parses {@code <long>.<long>}; anything else is a bad request, not a database problem. */
  static long[] cursor(String cursor) {
    if (cursor == null) return null;
    int dot = cursor.indexOf('.');
    if (dot <= 0 || dot == cursor.length() - 1 || cursor.length() > 41) {
      throw new MessageFormatException("StorageQuery.cursor: malformed");
    }
    try {
      long a = Long.parseLong(cursor.substring(0, dot));
      long b = Long.parseLong(cursor.substring(dot + 1));
      if (a < 0 || b < 0) throw new MessageFormatException("StorageQuery.cursor: malformed");
      return new long[] {a, b};
    } catch (NumberFormatException e) {
      throw new MessageFormatException("StorageQuery.cursor: malformed");
    }
  }

  private static void eq(StringBuilder sql, List<Object> args, String column, String value) {
    if (value == null) return;
    sql.append(" AND ").append(column).append(" = ?");
    args.add(value);
  }

  /** A query that runs longer than this is interrupted, so one pathological filter cannot hold the reader. */
  static final int QUERY_TIMEOUT_SECS = 5;

  private static PreparedStatement prepare(Connection c, StringBuilder sql, List<Object> args) throws SQLException {
    PreparedStatement p = c.prepareStatement(sql.toString());
    p.setQueryTimeout(QUERY_TIMEOUT_SECS);
    for (int i = 0; i < args.size(); i++) p.setObject(i + 1, args.get(i));
    return p;
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
