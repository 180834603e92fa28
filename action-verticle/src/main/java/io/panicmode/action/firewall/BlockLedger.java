package io.panicmode.action.firewall;

import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.sqlite.SqliteStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * This host's own record of its bans: a small SQLite file ({@code block_ledger.db} next to
 * {@code storage.incident_db}) kept through the one {@link SqliteStore}, so
 * {@code restore_on_startup} and expiry never wait on the storage verticle. Durability
 * {@code NORMAL}: a power cut may lose the last bans recorded, but a lost row only means a ban is
 * not restored after that reboot (the firewall rule itself is gone with the reboot too) and the
 * storage report carries the same ban; the ban path does not wait for an fsync.
 *
 * <p>The methods block and are for a worker thread (the action role's {@code Offload}); the store
 * does its work on its own context, so waiting here never starves it. When the file cannot be
 * written (at start or while running) the ledger is held in memory and moves back into the file
 * once it can, nothing lost. {@code count} survives an unban so repeat offenders escalate. Each ban
 * remembers the id of its storage write and whether storage acknowledged it, so a ban applied
 * just before a crash (or while storage was away) is reported to storage at the next start.
 */
public final class BlockLedger implements AutoCloseable {
  /** How often a ledger held in memory tries its file again (2.5–5 s; a try is one open and one small write). */
  public static final Backoff DISK_RETRY = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5));

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

  private static final String COLUMNS = "ip, blocked_at, expires_at, reason, incident_id, count, active, write_id, recorded";

  private final SqliteStore store;

  private BlockLedger(SqliteStore store) {
    this.store = store;
  }

  /** Opens the ledger; a file that cannot be written means a ledger in memory (see {@link #inMemory}), not a failure. */
  public static Future<BlockLedger> open(Vertx vertx, Path file, MetricsRegistry metrics, SqliteStore.Listener listener) {
    SqliteStore.Spec spec = new SqliteStore.Spec("block_ledger", file, SqliteStore.Durability.NORMAL, BlockLedger::schema,
        List.of(new SqliteStore.Table("bans", COLUMNS, "INSERT INTO disk.bans (" + COLUMNS + ") SELECT " + COLUMNS
            + " FROM main.bans WHERE true ON CONFLICT(ip) DO UPDATE SET blocked_at=excluded.blocked_at,"
            + " expires_at=excluded.expires_at, reason=excluded.reason, incident_id=excluded.incident_id,"
            + " count=max(count, excluded.count), active=excluded.active, write_id=excluded.write_id,"
            + " recorded=excluded.recorded")),
        10_000, 1_000, 2, DISK_RETRY);
    return SqliteStore.open(vertx, spec, listener, metrics).map(BlockLedger::new);
  }

  private static Future<Void> schema(SqlConnection c) {
    return c.query("CREATE TABLE IF NOT EXISTS bans (ip TEXT PRIMARY KEY, blocked_at INTEGER NOT NULL, expires_at INTEGER,"
            + " reason TEXT NOT NULL, incident_id TEXT, count INTEGER NOT NULL, active INTEGER NOT NULL)").execute()
        .compose(v -> c.query("CREATE INDEX IF NOT EXISTS bans_active_expiry ON bans(active, expires_at)").execute())
        .compose(v -> c.query("PRAGMA table_info(bans)").execute())
        .compose(info -> {
          for (Row r : info) if ("recorded".equals(r.getString("name"))) return Future.succeededFuture();
          // Ledgers written before bans were reconciled with storage: their rows count as recorded.
          return c.query("ALTER TABLE bans ADD COLUMN write_id TEXT").execute()
              .compose(v -> c.query("ALTER TABLE bans ADD COLUMN recorded INTEGER NOT NULL DEFAULT 1").execute())
              .mapEmpty();
        });
  }

  /** True while the ledger is held in memory, waiting for its file. */
  public boolean inMemory() { return store.inMemory(); }

  /** For {@code /health}: null while the ledger is in its file. */
  public String healthProblem() { return store.healthProblem(); }

  /** How many ban rows the ledger holds. */
  public int size() throws SQLException {
    return blocking(() -> store.readAndWait(c -> c.query("SELECT count(*) FROM bans").execute()
        .map(rs -> rs.iterator().next().getInteger(0))));
  }

  /**
   * Records the bans (one transaction), not yet acknowledged by storage, and returns the stored
   * rows with their new counts.
   */
  public List<Entry> recordBans(List<Entry> bans) throws SQLException {
    List<Tuple> rows = new ArrayList<>(bans.size());
    List<Entry> out = new ArrayList<>(bans.size());
    for (Entry e : bans) {
      rows.add(Tuple.of(e.ip(), e.blockedAt(), e.expiresAt(), e.reason(), e.incidentId(), e.count(), e.writeId()));
      out.add(new Entry(e.ip(), e.blockedAt(), e.expiresAt(), e.reason(), e.incidentId(), e.count(), true, e.writeId()));
    }
    if (rows.isEmpty()) return out;
    blocking(() -> store.writeAndWait(c -> c.preparedQuery(
            "INSERT INTO bans(" + COLUMNS + ") VALUES (?,?,?,?,?,?,1,?,0)"
                + " ON CONFLICT(ip) DO UPDATE SET blocked_at=excluded.blocked_at, expires_at=excluded.expires_at,"
                + " reason=excluded.reason, incident_id=excluded.incident_id, count=excluded.count, active=1,"
                + " write_id=excluded.write_id, recorded=0")
        .executeBatch(rows).mapEmpty()));
    return out;
  }

  /** How many times this IP was banned here before (0 if never). */
  public int priorCount(String ip) throws SQLException {
    return blocking(() -> store.readAndWait(c -> c.preparedQuery("SELECT count FROM bans WHERE ip = ?").execute(Tuple.of(ip))
        .map(rs -> rs.size() == 0 ? 0 : rs.iterator().next().getInteger(0))));
  }

  /** Marks the bans of these IPs lifted; returns the IPs that were active. */
  public List<String> deactivate(List<String> ips) throws SQLException {
    return blocking(() -> store.writeAndWait(c -> {
      Future<List<String>> lifted = Future.succeededFuture(new ArrayList<>());
      for (String ip : ips) {
        lifted = lifted.compose(list -> c.preparedQuery("UPDATE bans SET active = 0 WHERE ip = ? AND active = 1")
            .execute(Tuple.of(ip)).map(rs -> {
              if (rs.rowCount() > 0) list.add(ip);
              return list;
            }));
      }
      return lifted;
    }));
  }

  public List<Entry> active() throws SQLException {
    return select("active = 1");
  }

  /** Bans whose storage write was never acknowledged (storage down, or the process died first). */
  public List<Entry> unrecorded() throws SQLException {
    return select("recorded = 0 AND write_id IS NOT NULL");
  }

  /** Notes that storage acknowledged these writes (ids from {@link Entry#writeId}). */
  public void markRecorded(List<String> writeIds) throws SQLException {
    if (writeIds.isEmpty()) return;
    List<Tuple> ids = writeIds.stream().map(Tuple::of).toList();
    blocking(() -> store.writeAndWait(c -> c.preparedQuery("UPDATE bans SET recorded = 1 WHERE write_id = ?")
        .executeBatch(ids).mapEmpty()));
  }

  private List<Entry> select(String where) throws SQLException {
    return blocking(() -> store.readAndWait(c -> c.query("SELECT ip, blocked_at, expires_at, reason, incident_id, count, "
        + "active, write_id FROM bans WHERE " + where).execute().map(rows -> {
          List<Entry> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Entry(r.getString(0), r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getInteger(5),
                r.getInteger(6) == 1, r.getString(7)));
          }
          return out;
        })));
  }

  /** Commits what is queued and closes the file. */
  @Override
  public void close() throws SQLException {
    blocking(() -> {
      store.closeAndWait();
      return null;
    });
  }

  private interface Blocking<T> {
    T run() throws Exception;
  }

  /** The ban path handles SQLException; whatever else the store reports is carried in one. */
  private static <T> T blocking(Blocking<T> call) throws SQLException {
    try {
      return call.run();
    } catch (SQLException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted waiting for the block ledger", e);
    } catch (Exception e) {
      throw new SQLException(String.valueOf(e.getMessage()), e);
    }
  }
}
