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
import io.panicmode.runtime.DiskFaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String EXPIRED = "expired";
  /** Most operations per transaction. */
  static final int MAX_BATCH = 1000;

  /** One pending alert as loaded at start. */
  record Row(String id, String request, long acceptedAt, int rounds, Set<String> confirmed) {}

  interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  /** {@code alone}: runs by itself, outside any transaction (switching databases). */
  private record Op<T>(Work<T> work, Promise<T> promise, boolean alone) {}

  /** How often an outbox held in memory tries its file again. */
  static final long DISK_RETRY_MS = 5_000;

  /** Told, on the verticle's event loop, when the outbox leaves its file for memory and when it returns. */
  interface Listener {
    void inMemory(String reason);

    void backOnDisk();
  }

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final Path file;
  private final Listener listener;
  // Owned by the worker thread; the memory database replaces the file while the file is unusable.
  private Connection conn;
  private volatile String diskProblem;
  private final ArrayDeque<Op<?>> queue = new ArrayDeque<>();
  private long diskTimer = -1;
  private boolean committing;
  private boolean closed;

  private Outbox(Vertx vertx, WorkerExecutor worker, Path file, Listener listener, Connection conn, String diskProblem) {
    this.vertx = vertx;
    this.worker = worker;
    this.file = file;
    this.listener = listener;
    this.conn = conn;
    this.diskProblem = diskProblem;
  }

  /**
   * Opens the file (a damaged one is moved aside and replaced). When it cannot be used (full or
   * read-only disk, I/O error) the outbox starts in an in-memory database instead, tells the
   * listener, and tries the file again every {@link #DISK_RETRY_MS} ms.
   */
  static Future<Outbox> open(Vertx vertx, Path file, Listener listener) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("panicmode-alert-outbox-" + UUID.randomUUID(), 1);
    return worker.executeBlocking(() -> {
          try {
            return new Opened(openFile(file), null);
          } catch (SQLException | IOException e) {
            if (!DiskFaults.isDiskFault(e)) throw e;
            return new Opened(connect("jdbc:sqlite::memory:"), "cannot use " + file + ": " + e.getMessage());
          }
        }, true)
        .map(o -> {
          Outbox outbox = new Outbox(vertx, worker, file, listener, o.conn(), o.problem());
          if (o.problem() != null) outbox.wentToMemory(o.problem());
          return outbox;
        })
        .onFailure(e -> worker.close());
  }

  private record Opened(Connection conn, String problem) {}

  /** Why the outbox is held in memory, or null while it uses its file. */
  String diskProblem() { return diskProblem; }

  private static Connection openFile(Path file) throws SQLException, IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    try {
      return connect("jdbc:sqlite:" + file.toAbsolutePath());
    } catch (SQLException e) {
      if (!DiskFaults.isCorrupt(e)) throw e;
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
      Files.move(file, aside);
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
      LOG.error("alert outbox {} is damaged ({}); moved it to {} and started a new one", file, e.getMessage(), aside);
      return connect("jdbc:sqlite:" + file.toAbsolutePath());
    }
  }

  private static Connection connect(String url) throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("CREATE TABLE IF NOT EXISTS alert_outbox(id TEXT PRIMARY KEY, request TEXT NOT NULL, "
          + "accepted_at INTEGER NOT NULL, state TEXT NOT NULL, rounds INTEGER NOT NULL DEFAULT 0, "
          + "next_attempt_at INTEGER NOT NULL, finished_at INTEGER)");
      s.execute("CREATE INDEX IF NOT EXISTS alert_outbox_state ON alert_outbox(state, finished_at)");
      s.execute("CREATE TABLE IF NOT EXISTS alert_confirmations(alert_id TEXT NOT NULL, target TEXT NOT NULL, "
          + "confirmed_at INTEGER NOT NULL, PRIMARY KEY(alert_id, target))");
      // Proves the file takes writes (a full disk opens and reads fine) before the outbox relies on it.
      s.execute("CREATE TABLE IF NOT EXISTS alert_outbox_probe(k INTEGER PRIMARY KEY, at INTEGER NOT NULL)");
      s.execute("INSERT OR REPLACE INTO alert_outbox_probe(k, at) VALUES (1, " + System.currentTimeMillis() + ")");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * On the worker, after a write to the file failed for a disk fault: continues in a memory
   * database holding a copy of what the file held (read still works on a full disk).
   */
  private void switchToMemory(SQLException cause) throws SQLException {
    Connection mem = connect("jdbc:sqlite::memory:");
    try (PreparedStatement attach = mem.prepareStatement("ATTACH DATABASE ? AS disk"); Statement s = mem.createStatement()) {
      attach.setString(1, file.toAbsolutePath().toString());
      attach.execute();
      s.execute("INSERT OR IGNORE INTO main.alert_outbox SELECT * FROM disk.alert_outbox");
      s.execute("INSERT OR IGNORE INTO main.alert_confirmations SELECT * FROM disk.alert_confirmations");
      s.execute("DETACH DATABASE disk");
    } catch (SQLException e) {
      LOG.error("alert outbox {}: cannot copy it into memory ({}); pending alerts stay queued in this process",
          file, e.getMessage());
    }
    Connection old = conn;
    conn = mem;
    diskProblem = "cannot write " + file + ": " + cause.getMessage();
    try {
      old.close();
    } catch (SQLException ignored) {
      // The file's connection is broken anyway.
    }
  }

  /** On the worker: writes everything the memory database holds back into the file and uses the file again. */
  private Void moveBackToDisk() throws SQLException, IOException {
    Connection disk = openFile(file);
    try (PreparedStatement attach = conn.prepareStatement("ATTACH DATABASE ? AS disk"); Statement s = conn.createStatement()) {
      attach.setString(1, file.toAbsolutePath().toString());
      attach.execute();
      try {
        s.execute("BEGIN IMMEDIATE");
        s.execute("INSERT INTO disk.alert_outbox SELECT * FROM main.alert_outbox WHERE true ON CONFLICT(id) DO UPDATE SET "
            + "state = excluded.state, rounds = excluded.rounds, next_attempt_at = excluded.next_attempt_at, "
            + "finished_at = excluded.finished_at");
        s.execute("INSERT OR IGNORE INTO disk.alert_confirmations SELECT * FROM main.alert_confirmations");
        s.execute("COMMIT");
      } catch (SQLException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException ignored) {
          // Already rolled back by SQLite after the I/O error.
        }
        throw e;
      } finally {
        s.execute("DETACH DATABASE disk");
      }
    } catch (SQLException e) {
      disk.close();
      throw e;
    }
    conn.close();
    conn = disk;
    diskProblem = null;
    return null;
  }

  /** On the event loop: reports the switch and starts trying the file again. */
  private void wentToMemory(String reason) {
    LOG.error("alert outbox {}; alerts are kept in memory until it can be written again (tried every {} s)", reason,
        DISK_RETRY_MS / 1000);
    listener.inMemory(reason);
    if (diskTimer < 0 && !closed) diskTimer = vertx.setPeriodic(DISK_RETRY_MS, t -> tryDisk());
  }

  private void tryDisk() {
    if (diskProblem == null || closed) return;
    submit(new Op<>(c -> moveBackToDisk(), Promise.promise(), true)).onComplete(ar -> {
      if (ar.failed()) {
        LOG.debug("alert outbox {} still unusable: {}", file, ar.cause().toString());
        return;
      }
      vertx.cancelTimer(diskTimer);
      diskTimer = -1;
      LOG.info("alert outbox {} writable again; what was kept in memory is in it", file);
      listener.backOnDisk();
    });
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
    if (diskTimer >= 0) vertx.cancelTimer(diskTimer);
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
    return submit(new Op<>(work, Promise.promise(), false));
  }

  private <T> Future<T> submit(Op<T> op) {
    if (closed) return Future.failedFuture(new IllegalStateException("alert outbox closed"));
    queue.add(op);
    if (!committing) commitNext();
    return op.promise().future();
  }

  private void commitNext() {
    if (queue.isEmpty()) {
      committing = false;
      return;
    }
    committing = true;
    List<Op<?>> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    if (queue.peek().alone()) batch.add(queue.poll());
    while (!queue.isEmpty() && !queue.peek().alone() && batch.size() < MAX_BATCH) batch.add(queue.poll());
    boolean onDisk = diskProblem == null;
    worker.executeBlocking(() -> batch.get(0).alone() ? runAlone(batch.get(0)) : runBatch(batch), true).onComplete(ar -> {
      if (onDisk && diskProblem != null) wentToMemory(diskProblem);
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

  private record Failure(Exception cause) {}

  private List<Object> runAlone(Op<?> op) {
    try {
      return java.util.Collections.singletonList(op.work().run(conn));
    } catch (SQLException | IOException e) {
      return List.of(new Failure(e));
    }
  }

  /**
   * Runs the batch in one transaction. If any statement fails, the transaction is rolled back
   * and every operation re-run in its own, so one bad operation fails alone.
   */
  private List<Object> runBatch(List<Op<?>> batch) {
    try {
      return inTransaction(batch);
    } catch (SQLException e) {
      if (diskProblem == null && DiskFaults.isDiskFault(e)) {
        // The file cannot take it (disk full, read-only, I/O error): go on in memory with the same batch.
        try {
          switchToMemory(e);
          return inTransaction(batch);
        } catch (SQLException inMemory) {
          return failAll(batch, inMemory);
        }
      }
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

  private static List<Object> failAll(List<Op<?>> batch, Exception e) {
    List<Object> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) out.add(new Failure(e));
    return out;
  }

  private List<Object> inTransaction(List<Op<?>> ops) throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        List<Object> results = new ArrayList<>(ops.size());
        for (Op<?> op : ops) results.add(op.work().run(conn));
        s.execute("COMMIT");
        return results;
      } catch (SQLException | IOException | RuntimeException e) {
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
