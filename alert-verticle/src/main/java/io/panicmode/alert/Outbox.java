package io.panicmode.alert;

import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.sqlite.SqliteStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert outbox: every accepted alert until it is delivered or expires, and every confirmed
 * target (channel, or channel/contact) per alert, in {@code alert_outbox.db} through the one
 * {@link SqliteStore}. Durability {@code FULL}: an alert is acknowledged to its sender only once it
 * is in the file, and the sender forgets it then, so a power cut must not lose it.
 * {@code next_attempt_at} records when the next round is due, for operators reading the file; a
 * restart starts a round for every pending alert at once.
 *
 * <p>While the file cannot be written the store holds everything in memory (so alerts still go
 * out) and moves it back into the file once it can; the listener hears both. Methods are called on
 * the verticle's event loop; their futures complete there.
 */
final class Outbox {
  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String EXPIRED = "expired";
  /** Most operations per transaction. */
  static final int MAX_BATCH = 1000;
  /** Operations that may wait for the writer; beyond it an alert is refused (its sender retries). */
  static final int QUEUE_CAPACITY = 50_000;
  /** How often an outbox held in memory tries its file again (2.5–5 s; a try is one open and one small write). */
  static final Backoff DISK_RETRY = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5));

  /** One pending alert as loaded at start. */
  record Row(String id, String request, long acceptedAt, int rounds, Set<String> confirmed) {}

  /** Told, on the verticle's event loop, when the outbox leaves its file for memory and when it returns. */
  interface Listener {
    void inMemory(String reason);

    void backOnDisk();
  }

  private static final String COLUMNS = "id, request, accepted_at, state, rounds, next_attempt_at, finished_at";

  private final SqliteStore store;

  private Outbox(SqliteStore store) {
    this.store = store;
  }

  /**
   * Opens the file (a damaged one is moved aside and replaced). When it cannot be used (full or
   * read-only disk, I/O error) the outbox starts in memory, tells the listener, and tries the file
   * again on {@link #DISK_RETRY}.
   */
  static Future<Outbox> open(Vertx vertx, Path file, Listener listener, MetricsRegistry metrics) {
    SqliteStore.Spec spec = new SqliteStore.Spec("alert_outbox", file, SqliteStore.Durability.FULL, Outbox::schema,
        List.of(
            new SqliteStore.Table("alert_outbox", COLUMNS, "INSERT INTO disk.alert_outbox (" + COLUMNS + ") SELECT "
                + COLUMNS + " FROM main.alert_outbox WHERE true ON CONFLICT(id) DO UPDATE SET state = excluded.state, "
                + "rounds = excluded.rounds, next_attempt_at = excluded.next_attempt_at, finished_at = excluded.finished_at"),
            new SqliteStore.Table("alert_confirmations", "alert_id, target, confirmed_at",
                "INSERT OR IGNORE INTO disk.alert_confirmations (alert_id, target, confirmed_at) "
                    + "SELECT alert_id, target, confirmed_at FROM main.alert_confirmations")),
        QUEUE_CAPACITY, MAX_BATCH, 1, DISK_RETRY);
    return SqliteStore.open(vertx, spec, new SqliteStore.Listener() {
      @Override
      public void inMemory(String reason) { listener.inMemory(reason); }

      @Override
      public void backOnDisk() { listener.backOnDisk(); }
    }, metrics).map(Outbox::new);
  }

  private static Future<Void> schema(SqlConnection c) {
    return c.query("CREATE TABLE IF NOT EXISTS alert_outbox(id TEXT PRIMARY KEY, request TEXT NOT NULL, "
            + "accepted_at INTEGER NOT NULL, state TEXT NOT NULL, rounds INTEGER NOT NULL DEFAULT 0, "
            + "next_attempt_at INTEGER NOT NULL, finished_at INTEGER)").execute()
        .compose(v -> c.query("CREATE INDEX IF NOT EXISTS alert_outbox_state ON alert_outbox(state, finished_at)").execute())
        .compose(v -> c.query("CREATE TABLE IF NOT EXISTS alert_confirmations(alert_id TEXT NOT NULL, target TEXT NOT NULL, "
            + "confirmed_at INTEGER NOT NULL, PRIMARY KEY(alert_id, target))").execute())
        .mapEmpty();
  }

  /** Why the outbox is held in memory, or null while it uses its file. */
  String diskProblem() { return store.diskProblem(); }

  /** For {@code /health}: null while the outbox is in its file. */
  String healthProblem() { return store.healthProblem(); }

  /** Persists a new alert; false when its id is already known (a duplicate request). */
  Future<Boolean> insert(String id, String requestJson, long now) {
    return store.write(c -> c.preparedQuery("INSERT OR IGNORE INTO alert_outbox"
            + "(id, request, accepted_at, state, rounds, next_attempt_at) VALUES (?, ?, ?, 'pending', 0, ?)")
        .execute(Tuple.of(id, requestJson, now, now)).map(rs -> rs.rowCount() == 1));
  }

  /** Records that {@code target} (a channel, or channel/contact) confirmed the alert. */
  Future<Void> confirm(String id, String target, long now) {
    return store.write(c -> confirmRow(c, id, target, now));
  }

  /** Confirms {@code target} for every alert in {@code ids} and marks them delivered, in one transaction. */
  Future<Void> delivered(List<String> ids, String target, long now) {
    return store.write(c -> {
      List<Tuple> confirmations = new ArrayList<>(ids.size());
      List<Tuple> updates = new ArrayList<>(ids.size());
      for (String id : ids) {
        confirmations.add(Tuple.of(id, target, now));
        updates.add(Tuple.of(now, id));
      }
      return c.preparedQuery(CONFIRM).executeBatch(confirmations)
          .compose(v -> c.preparedQuery("UPDATE alert_outbox SET state = 'delivered', finished_at = ? "
              + "WHERE id = ? AND state = 'pending'").executeBatch(updates))
          .mapEmpty();
    });
  }

  Future<Void> reschedule(String id, int rounds, long nextAttemptAt) {
    return store.write(c -> c.preparedQuery(
            "UPDATE alert_outbox SET rounds = ?, next_attempt_at = ? WHERE id = ? AND state = 'pending'")
        .execute(Tuple.of(rounds, nextAttemptAt, id)).mapEmpty());
  }

  Future<Void> expire(String id, long now) {
    return store.write(c -> c.preparedQuery(
            "UPDATE alert_outbox SET state = 'expired', finished_at = ? WHERE id = ? AND state = 'pending'")
        .execute(Tuple.of(now, id)).mapEmpty());
  }

  /** Drops finished alerts (and their confirmations) older than {@code before}; their ids stop being recognised as duplicates. */
  Future<Integer> prune(long before) {
    return store.write(c -> c.preparedQuery("DELETE FROM alert_confirmations WHERE alert_id IN "
            + "(SELECT id FROM alert_outbox WHERE state <> 'pending' AND finished_at < ?)").execute(Tuple.of(before))
        .compose(v -> c.preparedQuery("DELETE FROM alert_outbox WHERE state <> 'pending' AND finished_at < ?")
            .execute(Tuple.of(before)))
        .map(rs -> rs.rowCount()));
  }

  /** Every pending alert with its confirmed targets, oldest first. */
  Future<List<Row>> loadPending() {
    return store.read(c -> c.query("SELECT k.alert_id, k.target FROM alert_confirmations k "
        + "JOIN alert_outbox o ON o.id = k.alert_id WHERE o.state = 'pending'").execute().compose(conf -> {
          Map<String, Set<String>> confirmed = new HashMap<>();
          for (io.vertx.sqlclient.Row r : conf) confirmed.computeIfAbsent(r.getString(0), k -> new HashSet<>()).add(r.getString(1));
          return c.query("SELECT id, request, accepted_at, rounds FROM alert_outbox "
              + "WHERE state = 'pending' ORDER BY accepted_at, id").execute().map(rows -> {
                List<Row> out = new ArrayList<>();
                for (io.vertx.sqlclient.Row r : rows) {
                  String id = r.getString(0);
                  out.add(new Row(id, r.getString(1), r.getLong(2), r.getInteger(3),
                      confirmed.getOrDefault(id, new HashSet<>())));
                }
                return out;
              });
        }));
  }

  /** Waits for queued writes, then closes the store. */
  Future<Void> close() {
    return store.close();
  }

  private static final String CONFIRM =
      "INSERT OR IGNORE INTO alert_confirmations(alert_id, target, confirmed_at) VALUES (?, ?, ?)";

  private static Future<Void> confirmRow(SqlConnection c, String id, String target, long now) {
    return c.preparedQuery(CONFIRM).execute(Tuple.of(id, target, now)).mapEmpty();
  }
}
