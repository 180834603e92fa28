package io.panicmode.alert;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The alert outbox: a SQLite file (WAL, synchronous=FULL) holding every accepted alert until it
 * is delivered or expires, and every confirmed target (channel, or channel/contact) per alert.
 * {@code next_attempt_at} records when the next round is due, for operators reading the file; a
 * restart starts a round for every pending alert at once.
 *
 * <p>Plain JDBC on one connection owned by one worker thread, with explicit
 * {@code BEGIN IMMEDIATE}/{@code COMMIT}: vertx-jdbc-client 5.0.x loses writes after
 * {@code withTransaction} on SQLite (VERTX-NOTES.md). Writes are group-committed: everything
 * submitted while a commit is running goes into the next transaction, so one fsync covers many
 * alerts under load and a single alert still commits at once. Methods are called on the
 * verticle's event loop; their futures complete there.
 */
final class Outbox {
  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String EXPIRED = "expired";
  /** Most operations per transaction. */
  static final int MAX_BATCH = 1000;

  /** One pending alert as loaded at start. */
  record Row(String id, String request, long acceptedAt, int rounds, Set<String> confirmed) {}

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private record Op<T>(Work<T> work, Promise<T> promise) {}

  private final WorkerExecutor worker;
  private final Connection conn;
  private final ArrayDeque<Op<?>> queue = new ArrayDeque<>();
  private boolean committing;
  private boolean closed;

  private Outbox(WorkerExecutor worker, Connection conn) {
    this.worker = worker;
    this.conn = conn;
  }

  static Future<Outbox> open(Vertx vertx, Path file) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("panicmode-alert-outbox-" + UUID.randomUUID(), 1);
    return worker.executeBlocking(() -> connect(file), true)
        .map(c -> new Outbox(worker, c))
        .onFailure(e -> worker.close());
  }

  private static Connection connect(Path file) throws SQLException, IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("CREATE TABLE IF NOT EXISTS alert_outbox(id TEXT PRIMARY KEY, request TEXT NOT NULL, "
          + "accepted_at INTEGER NOT NULL, state TEXT NOT NULL, rounds INTEGER NOT NULL DEFAULT 0, "
          + "next_attempt_at INTEGER NOT NULL, finished_at INTEGER)");
      s.execute("CREATE INDEX IF NOT EXISTS alert_outbox_state ON alert_outbox(state, finished_at)");
      s.execute("CREATE TABLE IF NOT EXISTS alert_confirmations(alert_id TEXT NOT NULL, target TEXT NOT NULL, "
          + "confirmed_at INTEGER NOT NULL, PRIMARY KEY(alert_id, target))");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Persists a new alert; false when its id is already known (a duplicate request). */
  Future<Boolean> insert(String id, String requestJson, long now) {
    return submit(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO alert_outbox"
          + "(id, request, accepted_at, state, rounds, next_attempt_at) VALUES (?, ?, ?, 'pending', 0, ?)")) {
        ps.setString(1, id);
        ps.setString(2, requestJson);
        ps.setLong(3, now);
        ps.setLong(4, now);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Records that {@code target} (a channel, or channel/contact) confirmed the alert. */
  Future<Void> confirm(String id, String target, long now) {
    return submit(c -> {
      confirmRow(c, id, target, now);
      return null;
    });
  }

  /** Confirms {@code target} for every alert in {@code ids} and marks them delivered, in one transaction. */
  Future<Void> delivered(List<String> ids, String target, long now) {
    return submit(c -> {
      try (PreparedStatement up = c.prepareStatement(
          "UPDATE alert_outbox SET state = 'delivered', finished_at = ? WHERE id = ? AND state = 'pending'")) {
        for (String id : ids) {
          confirmRow(c, id, target, now);
          up.setLong(1, now);
          up.setString(2, id);
          up.addBatch();
        }
        up.executeBatch();
      }
      return null;
    });
  }

  Future<Void> reschedule(String id, int rounds, long nextAttemptAt) {
    return submit(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE alert_outbox SET rounds = ?, next_attempt_at = ? WHERE id = ? AND state = 'pending'")) {
        ps.setInt(1, rounds);
        ps.setLong(2, nextAttemptAt);
        ps.setString(3, id);
        ps.executeUpdate();
      }
      return null;
    });
  }

  Future<Void> expire(String id, long now) {
    return submit(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE alert_outbox SET state = 'expired', finished_at = ? WHERE id = ? AND state = 'pending'")) {
        ps.setLong(1, now);
        ps.setString(2, id);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** Drops finished alerts (and their confirmations) older than {@code before}; their ids stop being recognised as duplicates. */
  Future<Integer> prune(long before) {
    return submit(c -> {
      try (PreparedStatement conf = c.prepareStatement("DELETE FROM alert_confirmations WHERE alert_id IN "
          + "(SELECT id FROM alert_outbox WHERE state <> 'pending' AND finished_at < ?)");
           PreparedStatement rows = c.prepareStatement(
               "DELETE FROM alert_outbox WHERE state <> 'pending' AND finished_at < ?")) {
        conf.setLong(1, before);
        conf.executeUpdate();
        rows.setLong(1, before);
        return rows.executeUpdate();
      }
    });
  }

  /** Every pending alert with its confirmed targets, oldest first. */
  Future<List<Row>> loadPending() {
    return submit(c -> {
      Map<String, Set<String>> confirmed = new HashMap<>();
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT k.alert_id, k.target FROM alert_confirmations k "
               + "JOIN alert_outbox o ON o.id = k.alert_id WHERE o.state = 'pending'")) {
        while (rs.next()) confirmed.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
      }
      List<Row> rows = new ArrayList<>();
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT id, request, accepted_at, rounds FROM alert_outbox "
               + "WHERE state = 'pending' ORDER BY accepted_at, id")) {
        while (rs.next()) {
          String id = rs.getString(1);
          rows.add(new Row(id, rs.getString(2), rs.getLong(3), rs.getInt(4),
              confirmed.getOrDefault(id, new HashSet<>())));
        }
      }
      return rows;
    });
  }

  /** Waits for queued writes, then closes the connection and the worker. */
  Future<Void> close() {
    Future<Void> last = submit(c -> null);
    closed = true;
    return last.transform(ar -> {
      return worker.executeBlocking(() -> {
        conn.close();
        return (Void) null;
      }, true).eventually(() -> worker.close());
    });
  }

  private static void confirmRow(Connection c, String id, String target, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT OR IGNORE INTO alert_confirmations(alert_id, target, confirmed_at) VALUES (?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, target);
      ps.setLong(3, now);
      ps.executeUpdate();
    }
  }

  private <T> Future<T> submit(Work<T> work) {
    if (closed) return Future.failedFuture(new IllegalStateException("alert outbox closed"));
    Promise<T> p = Promise.promise();
    queue.add(new Op<>(work, p));
    if (!committing) commitNext();
    return p.future();
  }

  private void commitNext() {
    if (queue.isEmpty()) {
      committing = false;
      return;
    }
    committing = true;
    List<Op<?>> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    while (!queue.isEmpty() && batch.size() < MAX_BATCH) batch.add(queue.poll());
    worker.executeBlocking(() -> runBatch(batch), true).onComplete(ar -> {
      if (ar.succeeded()) {
        List<Object> results = ar.result();
        for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i));
      } else {
        for (Op<?> op : batch) op.promise().tryFail(ar.cause());
      }
      commitNext();
    });
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Op<T> op, Object result) {
    if (result instanceof Failure f) op.promise().fail(f.cause());
    else op.promise().complete((T) result);
  }

  private record Failure(SQLException cause) {}

  /**
   * Runs the batch in one transaction. If any statement fails, the transaction is rolled back
   * and every operation re-run in its own, so one bad operation fails alone.
   */
  private List<Object> runBatch(List<Op<?>> batch) {
    try {
      return inTransaction(batch);
    } catch (SQLException e) {
      if (batch.size() == 1) return List.of(new Failure(e));
    }
    List<Object> results = new ArrayList<>(batch.size());
    for (Op<?> op : batch) {
      try {
        results.add(inTransaction(List.of(op)).get(0));
      } catch (SQLException e) {
        results.add(new Failure(e));
      }
    }
    return results;
  }

  private List<Object> inTransaction(List<Op<?>> ops) throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        List<Object> results = new ArrayList<>(ops.size());
        for (Op<?> op : ops) results.add(op.work().run(conn));
        s.execute("COMMIT");
        return results;
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException ignored) {
          // The original failure is what the caller needs; a failed rollback leaves SQLite to
          // roll back on its own when the next BEGIN finds the transaction dead.
        }
        throw e instanceof SQLException se ? se : new SQLException(e);
      }
    }
  }
}
