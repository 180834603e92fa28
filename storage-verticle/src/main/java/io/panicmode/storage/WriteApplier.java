package io.panicmode.storage;

import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.AlertDelivery;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Turns decoded {@link StorageWrite}s into rows, inside the caller's transaction. One instance per
 * writer connection; it keeps that connection's prepared statements.
 * Idempotency: bans and unbans change counts and history, so their write ids are recorded in
 * {@code applied_writes} and a write whose id is already there changes nothing. The other kinds are
 * idempotent by themselves and skip that table (it would cost two more index inserts per incident):
 * an incident is an upsert by incident id that reports a duplicate when nothing would change, an
 * action result is keyed by its command id, an alert delivery by its write id, and a heartbeat keeps the newest.
 */
final class WriteApplier implements AutoCloseable {
  static final String EMPTY_SUBJECTS = Subjects.NONE.toJson().encode();

  /** A write whose payload has been decoded (strictly) before it is queued. */
  record Decoded(String id, StorageWrite.Kind kind, Object value) {}

  static Decoded decode(StorageWrite w) {
    Object v = switch (w.kind()) {
      case INCIDENT -> Incident.fromJson(w.payload());
      case BLOCK -> BlockRecord.fromJson(w.payload());
      case UNBLOCK -> Unblock.fromJson(w.payload());
      case ACTION_RESULT -> ActionResult.fromJson(w.payload());
      case HEARTBEAT -> Heartbeat.fromJson(w.payload());
      case ALERT_DELIVERY -> AlertDelivery.fromJson(w.payload());
    };
    return new Decoded(w.id(), w.kind(), v);
  }

  private final PreparedStatement markApplied;
  private final PreparedStatement upsertIncident;
  private final PreparedStatement selectBlock;
  private final PreparedStatement upsertBlock;
  private final PreparedStatement unblock;
  private final PreparedStatement blockEvent;
  private final PreparedStatement insertResult;
  private final PreparedStatement upsertAgent;
  private final PreparedStatement insertDelivery;

  WriteApplier(Connection c) throws SQLException {
    markApplied = c.prepareStatement("INSERT OR IGNORE INTO applied_writes (id, applied_at) VALUES (?, ?)");
    upsertIncident = c.prepareStatement("""
        INSERT INTO incidents (incident_id, host, rule, monitor_type, severity, state, description, details,
          current_value, threshold, subjects, actions, fired_at, resolved_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(incident_id) DO UPDATE SET
          description = CASE WHEN incidents.state = 'resolved' THEN incidents.description ELSE excluded.description END,
          details = CASE WHEN incidents.state = 'resolved' THEN incidents.details ELSE excluded.details END,
          current_value = CASE WHEN incidents.state = 'resolved' THEN incidents.current_value ELSE excluded.current_value END,
          subjects = CASE WHEN incidents.state = 'resolved' THEN incidents.subjects ELSE excluded.subjects END,
          state = CASE WHEN incidents.state = 'resolved' OR excluded.state = 'resolved' THEN 'resolved' ELSE 'firing' END,
          resolved_at = COALESCE(incidents.resolved_at, excluded.resolved_at),
          updated_at = excluded.updated_at
        WHERE incidents.state IS NOT excluded.state OR incidents.current_value IS NOT excluded.current_value
          OR incidents.description IS NOT excluded.description OR incidents.details IS NOT excluded.details
          OR incidents.subjects IS NOT excluded.subjects""");
    selectBlock = c.prepareStatement("SELECT active, count, expires_at FROM blocks WHERE host = ? AND ip = ?");
    upsertBlock = c.prepareStatement("""
        INSERT INTO blocks (host, ip, blocked_at, expires_at, reason, incident_id, count, active,
          unblocked_at, unblocked_by, unblock_reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, 1, NULL, NULL, NULL)
        ON CONFLICT(host, ip) DO UPDATE SET blocked_at = excluded.blocked_at, expires_at = excluded.expires_at,
          reason = excluded.reason, incident_id = excluded.incident_id, count = excluded.count, active = 1,
          unblocked_at = NULL, unblocked_by = NULL, unblock_reason = NULL""");
    unblock = c.prepareStatement("""
        UPDATE blocks SET active = 0, unblocked_at = ?, unblocked_by = ?, unblock_reason = ?
        WHERE host = ? AND ip = ? AND active = 1""");
    blockEvent = c.prepareStatement("""
        INSERT INTO block_events (host, ip, event, at, by, reason, incident_id, expires_at, count)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""");
    insertResult = c.prepareStatement("""
        INSERT OR IGNORE INTO action_results (command_id, host, op, status, reason, retryable, affected, finished_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""");
    upsertAgent = c.prepareStatement("""
        INSERT INTO agents (host, node, roles, version, last_seen, uptime_secs, summary) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(host, node) DO UPDATE SET roles = excluded.roles, version = excluded.version,
          last_seen = excluded.last_seen, uptime_secs = excluded.uptime_secs, summary = excluded.summary
        WHERE excluded.last_seen >= agents.last_seen""");
    insertDelivery = c.prepareStatement("""
        INSERT OR IGNORE INTO alert_deliveries (write_id, alert_id, incident_id, host, channel, attempts, outcome, error, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""");
  }

  /** Applies one write; false when its id was applied before (nothing changed). */
  boolean apply(Decoded d, long now) throws SQLException {
    return switch (d.kind()) {
      case INCIDENT -> incident((Incident) d.value(), now);
      case BLOCK -> firstTime(d, now) && block((BlockRecord) d.value());
      case UNBLOCK -> firstTime(d, now) && unblock((Unblock) d.value());
      case ACTION_RESULT -> result((ActionResult) d.value());
      case HEARTBEAT -> heartbeat((Heartbeat) d.value());
      case ALERT_DELIVERY -> delivery(d.id(), (AlertDelivery) d.value());
    };
  }

  private boolean firstTime(Decoded d, long now) throws SQLException {
    markApplied.setString(1, d.id());
    markApplied.setLong(2, now);
    return markApplied.executeUpdate() > 0;
  }

  /** False when the row already says exactly this (a retry). */
  private boolean incident(Incident i, long now) throws SQLException {
    PreparedStatement p = upsertIncident;
    p.setString(1, i.id());
    p.setString(2, i.host());
    p.setString(3, i.rule());
    p.setString(4, i.monitorType() == null ? "" : i.monitorType());
    p.setString(5, i.severity().wire());
    p.setString(6, i.state().wire());
    p.setString(7, i.description());
    p.setString(8, i.details());
    p.setDouble(9, i.value());
    p.setDouble(10, i.threshold());
    p.setString(11, i.subjects().toJson().encode());
    p.setString(12, new JsonArray(new ArrayList<>(i.actions())).encode());
    p.setLong(13, i.firedAt());
    setLong(p, 14, i.resolvedAt());
    p.setLong(15, now);
    return p.executeUpdate() > 0;
  }

  /**
   * A ban applied. A second record for a ban still in force (the action verticle and the api
   * both report an operator ban) keeps the higher count; a ban after a lifted or expired one
   * counts one more offence.
   */
  private boolean block(BlockRecord b) throws SQLException {
    selectBlock.setString(1, b.host());
    selectBlock.setString(2, b.ip());
    int count = b.count();
    try (ResultSet rs = selectBlock.executeQuery()) {
      if (rs.next()) {
        boolean active = rs.getInt(1) == 1;
        int previous = rs.getInt(2);
        long expires = rs.getLong(3);
        boolean expired = !rs.wasNull() && expires <= b.blockedAt();
        count = active && !expired ? Math.max(previous, b.count()) : Math.max(previous + 1, b.count());
      }
    }
    PreparedStatement p = upsertBlock;
    p.setString(1, b.host());
    p.setString(2, b.ip());
    p.setLong(3, b.blockedAt());
    setLong(p, 4, b.expiresAt());
    p.setString(5, b.reason());
    p.setString(6, b.incidentId());
    p.setInt(7, count);
    p.executeUpdate();
    event(b.host(), b.ip(), "block", b.blockedAt(), b.incidentId() == null ? "operator" : "detector", b.reason(),
        b.incidentId(), b.expiresAt(), count);
    return true;
  }

  private boolean unblock(Unblock u) throws SQLException {
    unblock.setLong(1, u.at());
    unblock.setString(2, u.by());
    unblock.setString(3, u.reason());
    unblock.setString(4, u.host());
    unblock.setString(5, u.ip());
    // Lifting a ban that is not in force changes nothing, so the action verticle and the api may both report it.
    if (unblock.executeUpdate() > 0) event(u.host(), u.ip(), "unblock", u.at(), u.by(), u.reason(), null, null, null);
    return true;
  }

  private void event(String host, String ip, String kind, long at, String by, String reason, String incidentId,
                     Long expiresAt, Integer count) throws SQLException {
    PreparedStatement p = blockEvent;
    p.setString(1, host);
    p.setString(2, ip);
    p.setString(3, kind);
    p.setLong(4, at);
    p.setString(5, by);
    p.setString(6, reason);
    p.setString(7, incidentId);
    setLong(p, 8, expiresAt);
    if (count == null) p.setNull(9, Types.INTEGER); else p.setInt(9, count);
    p.executeUpdate();
  }

  private boolean result(ActionResult r) throws SQLException {
    PreparedStatement p = insertResult;
    p.setString(1, r.commandId());
    p.setString(2, r.host());
    p.setString(3, r.op());
    p.setString(4, r.status().wire());
    p.setString(5, r.reason());
    p.setInt(6, r.retryable() ? 1 : 0);
    p.setString(7, new JsonArray(new ArrayList<>(r.affected())).encode());
    p.setLong(8, r.finishedAt());
    return p.executeUpdate() > 0;
  }

  private boolean delivery(String writeId, AlertDelivery d) throws SQLException {
    PreparedStatement p = insertDelivery;
    p.setString(1, writeId);
    p.setString(2, d.alertId());
    p.setString(3, d.incidentId());
    p.setString(4, d.host());
    p.setString(5, d.channel());
    p.setInt(6, d.attempts());
    p.setString(7, d.outcome().wire());
    p.setString(8, d.error());
    p.setLong(9, d.at());
    return p.executeUpdate() > 0;
  }

  private boolean heartbeat(Heartbeat h) throws SQLException {
    PreparedStatement p = upsertAgent;
    p.setString(1, h.host());
    p.setString(2, h.node());
    p.setString(3, new JsonObject(new LinkedHashMap<>(h.roles())).encode());
    p.setString(4, h.version());
    p.setLong(5, h.ts());
    p.setLong(6, h.uptimeSecs());
    p.setString(7, new JsonObject(new LinkedHashMap<>(h.summary())).encode());
    p.executeUpdate();
    return true;
  }

  private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) p.setNull(i, Types.INTEGER); else p.setLong(i, v);
  }

  @Override
  public void close() {
    for (PreparedStatement p : List.of(markApplied, upsertIncident, selectBlock, upsertBlock, unblock, blockEvent,
        insertResult, upsertAgent, insertDelivery)) {
      try {
        p.close();
      } catch (SQLException ignored) {
        // The connection is being dropped; a statement that cannot close goes with it.
      }
    }
  }
}
