package io.panicmode.runtime.outbox;

import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.DiskFaults;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this process owes the (possibly remote) alert and storage nodes, held in a bounded
 * persistent outbox with <b>one lane per destination address</b>: each lane is delivered in order
 * and on its own, so a destination that does not answer (storage on a dead disk, a central node
 * away) never holds up another (alerts). A message is removed only after its receiver acknowledged
 * it, so an outage or a restart of either side loses nothing; receivers deduplicate by message id,
 * so the at-least-once delivery here becomes exactly-once there.
 *
 * <p>When the outbox file cannot be written (disk full, read-only, I/O error; a damaged file is
 * moved aside and replaced) the link keeps working in memory: new messages wait in a bounded
 * in-memory queue ({@link #MEMORY_CAPACITY}, the oldest dropped and counted beyond it) and are
 * delivered from there; on {@link #DISK_RETRY} (every 2.5–5 s) the link tries the file again and, once a
 * write succeeds, moves what memory holds into it and goes on from the file.
 *
 * <p>Obligations: {@link #send} never blocks the caller and never waits on the network; it
 * completes once the message is on disk or, while the disk is unusable, in memory. When the
 * outbox is full the oldest message is dropped and counted. A receiver's failure reply with a code
 * in 400–499 means the message itself is bad: it is dropped and counted, never retried. Any other
 * failure (no handler yet, timeout, 5xx) is retried with backoff, so a message sent before its
 * receiver registered is delivered once it has.
 */
public final class CentralLink {
  private static final Logger LOG = LoggerFactory.getLogger(CentralLink.class);
  private static final int BATCH = 64;
  /** Waits between deliveries that failed on one lane: 0.25–0.5 s doubling to 15–30 s, with jitter. */
  private static final Backoff LANE_RETRY = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  /** File operations that may wait for the db thread; beyond it a send fails at once (counted). */
  static final int DB_QUEUE_CAPACITY = 10_000;
  /** Most messages held in memory while the outbox file cannot be written. */
  public static final int MEMORY_CAPACITY = 10_000;
  /** How often a link working in memory tries its file again (2.5–5 s; a try is one open and one small write). */
  public static final Backoff DISK_RETRY = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5));

  /** One message; {@code seq} is its row in the file, or -1 while it is held only in memory. */
  private static final class Row {
    final String address;
    final String id;
    final String body;
    long seq;

    Row(String address, String id, String body, long seq) {
      this.address = address;
      this.id = id;
      this.body = body;
      this.seq = seq;
    }
  }

  /** One destination: delivered in order, independently of every other. Used on the link's context only. */
  private static final class Lane {
    final String address;
    /** Messages not in the file, oldest first; always newer than the lane's rows in the file. */
    final ArrayDeque<Row> memory = new ArrayDeque<>();
    /** Rows acknowledged whose deletion from the file failed (a full disk): skipped, deleted later. */
    final Set<Long> deliveredOnDisk = new HashSet<>();
    boolean draining;
    int failedAttempts;
    long timer = -1;

    Lane(String address) { this.address = address; }
  }

  private final Vertx vertx;
  private final Path file;
  private final int maxEntries;
  private final long sendTimeoutMs;
  private final MetricsRegistry metrics;
  private final ExecutorService db = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new ArrayBlockingQueue<>(DB_QUEUE_CAPACITY), r -> {
        Thread t = new Thread(r, "central-link-db");
        t.setDaemon(true);
        return t;
      });
  private final AtomicLong onDisk = new AtomicLong();
  private final AtomicLong inMemory = new AtomicLong();
  private final LongAdder droppedFull;
  private final LongAdder droppedMemoryFull;
  private final LongAdder droppedAtStop;
  private final LongAdder dbQueueFull;
  // Owned by the db thread.
  private Connection conn;
  // Owned by the link's context.
  private Context home;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final Set<String> memoryIds = new HashSet<>();
  private volatile String diskProblem;
  private long diskTimer = -1;
  private boolean recovering;
  private boolean stopped;
  private Consumer<String> onDelivered = id -> { };
  private volatile CentralTransport transport;

  public CentralLink(Vertx vertx, Path file, int maxEntries, long sendTimeoutMs, MetricsRegistry metrics) {
    this.vertx = vertx;
    this.file = file;
    this.maxEntries = maxEntries;
    this.sendTimeoutMs = sendTimeoutMs;
    this.metrics = metrics;
    this.transport = CentralTransport.eventBus(vertx);
    String dropped = "panicmode_central_outbox_dropped_total";
    droppedFull = metrics.counter(dropped, "Messages dropped by the outbox, by reason", "reason", "full");
    droppedMemoryFull = metrics.counter(dropped, "Messages dropped by the outbox, by reason", "reason", "memory_full");
    droppedAtStop = metrics.counter(dropped, "Messages dropped by the outbox, by reason", "reason", "memory_at_stop");
    dbQueueFull = metrics.counter("panicmode_central_outbox_db_queue_full_total",
        "File operations refused because the outbox's db queue was full");
    metrics.gauge("panicmode_central_outbox_depth", "Messages waiting for the alert/storage node", this::depth);
    metrics.gauge("panicmode_central_outbox_in_memory", "Messages held in memory because the outbox file cannot be written",
        inMemory::get);
    metrics.gauge("panicmode_central_outbox_degraded", "1 while the outbox file cannot be written (messages kept in memory)",
        () -> diskProblem == null ? 0 : 1);
  }

  /** Delivers over {@code t} from now on (an agent's bridge) instead of this process's event bus. */
  public void useTransport(CentralTransport t) { this.transport = t; }

  /**
   * Opens (or creates) the outbox file and starts draining what a previous run left. A file that
   * cannot be written is not a failure: the link starts in memory and says so ({@link #diskProblem()}).
   */
  public Future<Void> start() {
    home = vertx.getOrCreateContext();
    return this.<Map<String, Long>>onDb(this::openFile).transform(ar -> {
      if (ar.succeeded()) {
        ar.result().forEach((address, n) -> {
          lane(address);
          onDisk.addAndGet(n);
        });
        if (onDisk.get() > 0) LOG.info("central outbox holds {} message(s) from before; delivering them", onDisk.get());
        lanes.values().forEach(this::drain);
        return Future.succeededFuture();
      }
      if (!DiskFaults.isDiskFault(ar.cause())) return Future.failedFuture(ar.cause());
      degrade(ar.cause().getMessage());
      return Future.succeededFuture();
    });
  }

  /** Why the outbox file is not in use, or null when it is. */
  public String diskProblem() { return diskProblem; }

  /** Persists the message (in memory while the file cannot be written) and schedules its delivery; an id already queued is not queued twice. */
  public Future<Void> send(String address, String id, JsonObject body) {
    Row row = new Row(address, id, body.encode(), -1);
    Context caller = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    home.runOnContext(v -> {
      if (stopped) {
        caller.runOnContext(x -> done.fail(new IllegalStateException("outbox closed")));
        return;
      }
      Lane lane = lane(address);
      if (diskProblem != null || !lane.memory.isEmpty()) {
        keep(lane, row);
        caller.runOnContext(x -> done.complete());
        return;
      }
      this.<Boolean>onDb(() -> insert(row)).onComplete(ar -> {
        if (ar.succeeded()) {
          drain(lane);
          caller.runOnContext(x -> done.complete());
        } else if (DiskFaults.isDiskFault(ar.cause())) {
          degrade(ar.cause().getMessage());
          keep(lane, row);
          caller.runOnContext(x -> done.complete());
        } else {
          caller.runOnContext(x -> done.fail(ar.cause()));
        }
      });
    });
    return done.future();
  }

  public long depth() { return onDisk.get() + inMemory.get(); }

  /** Messages held in memory because the outbox file cannot be written. */
  public long heldInMemory() { return inMemory.get(); }

  /** Called on the link's context with each message id its receiver acknowledged (for measurements and tests). */
  public void onDelivered(Consumer<String> listener) { this.onDelivered = listener; }

  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    home.runOnContext(v -> {
      stopped = true;
      if (diskTimer >= 0) vertx.cancelTimer(diskTimer);
      for (Lane lane : lanes.values()) if (lane.timer >= 0) vertx.cancelTimer(lane.timer);
      if (inMemory.get() > 0) {
        LOG.error("central outbox: {} message(s) held in memory (outbox file unusable: {}) are lost at stop",
            inMemory.get(), diskProblem);
        droppedAtStop.add(inMemory.get());
      }
      this.<Void>onDb(() -> {
        if (conn != null) conn.close();
        conn = null;
        return null;
      }).onComplete(ar -> {
        db.shutdown();
        done.complete();
      });
    });
    return done.future();
  }

  // ---- the file (db thread) ----

  /** Opens the file; a damaged one is moved aside and replaced. Returns the rows waiting per address. */
  private Map<String, Long> openFile() throws Exception {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    try {
      return connect();
    } catch (SQLException e) {
      closeConnection();
      if (!DiskFaults.isCorrupt(e)) throw e;
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
      Files.move(file, aside);
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
      LOG.error("central outbox {} is damaged ({}); moved it to {} and started a new one", file, e.getMessage(), aside);
      return connect();
    }
  }

  private Map<String, Long> connect() throws SQLException {
    conn = DriverManager.getConnection("jdbc:sqlite:" + file);
    Map<String, Long> waiting = new LinkedHashMap<>();
    try (Statement s = conn.createStatement()) {
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT NOT NULL, "
          + "id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS outbox_lane ON outbox(address, seq)");
      try (ResultSet rs = s.executeQuery("SELECT address, count(*) FROM outbox GROUP BY address ORDER BY min(seq)")) {
        while (rs.next()) waiting.put(rs.getString(1), rs.getLong(2));
      }
    }
    return waiting;
  }

  private void closeConnection() {
    if (conn == null) return;
    try {
      conn.close();
    } catch (SQLException ignored) {
      // A broken connection may fail to close; it is dropped either way.
    }
    conn = null;
  }

  /** Inserts one row (false when its id is already there) and trims the file to {@code maxEntries}, oldest first. */
  private boolean insert(Row row) throws SQLException {
    if (conn == null) throw new SQLException("outbox not open");
    boolean added;
    try (PreparedStatement ins = conn.prepareStatement("INSERT OR IGNORE INTO outbox(address, id, body) VALUES (?,?,?)")) {
      ins.setString(1, row.address);
      ins.setString(2, row.id);
      ins.setString(3, row.body);
      added = ins.executeUpdate() == 1;
    }
    if (added) onDisk.incrementAndGet();
    if (onDisk.get() > maxEntries) {
      try (Statement s = conn.createStatement()) {
        long over = onDisk.get() - maxEntries;
        int dropped = s.executeUpdate("DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox ORDER BY seq LIMIT " + over + ")");
        onDisk.addAndGet(-dropped);
        droppedFull.add(dropped);
      }
    }
    return added;
  }

  private List<Row> readLane(String address, int limit) throws SQLException {
    List<Row> rows = new ArrayList<>();
    if (conn == null) return rows;
    try (PreparedStatement q = conn.prepareStatement("SELECT seq, id, body FROM outbox WHERE address = ? ORDER BY seq LIMIT ?")) {
      q.setString(1, address);
      q.setInt(2, limit);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) rows.add(new Row(address, rs.getString(2), rs.getString(3), rs.getLong(1)));
      }
    }
    return rows;
  }

  private int delete(Collection<Long> seqs) throws SQLException {
    if (conn == null) throw new SQLException("outbox not open");
    int n = 0;
    try (PreparedStatement del = conn.prepareStatement("DELETE FROM outbox WHERE seq = ?")) {
      conn.setAutoCommit(false);
      try {
        for (long seq : seqs) {
          del.setLong(1, seq);
          n += del.executeUpdate();
        }
        conn.commit();
      } catch (SQLException e) {
        conn.rollback();
        throw e;
      } finally {
        conn.setAutoCommit(true);
      }
    }
    return n;
  }

  /**
   * Opens the file if needed and writes {@code rows} into it in one transaction (an empty list
   * still proves with a write that the file takes writes again). Returns each row's seq in the file.
   */
  private List<Long> moveToDisk(List<Row> rows) throws Exception {
    if (conn == null) onDisk.addAndGet(openFile().values().stream().mapToLong(Long::longValue).sum());
    List<Long> seqs = new ArrayList<>(rows.size());
    try (Statement s = conn.createStatement();
         PreparedStatement ins = conn.prepareStatement("INSERT OR IGNORE INTO outbox(address, id, body) VALUES (?,?,?)");
         PreparedStatement find = conn.prepareStatement("SELECT seq FROM outbox WHERE id = ?")) {
      s.execute("BEGIN IMMEDIATE");
      try {
        s.execute("CREATE TABLE IF NOT EXISTS outbox_probe (k INTEGER PRIMARY KEY, at INTEGER NOT NULL)");
        s.execute("INSERT OR REPLACE INTO outbox_probe (k, at) VALUES (1, " + System.currentTimeMillis() + ")");
        int added = 0;
        for (Row r : rows) {
          ins.setString(1, r.address);
          ins.setString(2, r.id);
          ins.setString(3, r.body);
          added += ins.executeUpdate();
          find.setString(1, r.id);
          try (ResultSet rs = find.executeQuery()) {
            seqs.add(rs.next() ? rs.getLong(1) : -1);
          }
        }
        s.execute("COMMIT");
        onDisk.addAndGet(added);
      } catch (SQLException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException ignored) {
          // SQLite may have rolled back already after an I/O error.
        }
        throw e;
      }
    }
    return seqs;
  }

  // ---- delivery (the link's context) ----

  private Lane lane(String address) { return lanes.computeIfAbsent(address, Lane::new); }

  /** Holds a message in memory, dropping (and counting) the oldest one of the longest lane when memory is full. */
  private void keep(Lane lane, Row row) {
    if (!memoryIds.add(row.id)) return;
    if (inMemory.get() >= MEMORY_CAPACITY) {
      Lane longest = lane;
      for (Lane l : lanes.values()) if (l.memory.size() > longest.memory.size()) longest = l;
      Row dropped = longest.memory.pollFirst();
      if (dropped != null) {
        memoryIds.remove(dropped.id);
        inMemory.decrementAndGet();
        droppedMemoryFull.increment();
        LOG.warn("central outbox memory full ({}): dropped message {} to {}", MEMORY_CAPACITY, dropped.id, dropped.address);
      }
    }
    lane.memory.addLast(row);
    inMemory.incrementAndGet();
    drain(lane);
  }

  private void degrade(String reason) {
    if (diskProblem == null) {
      LOG.error("central outbox {} cannot be written ({}); holding up to {} new messages in memory and trying the file "
          + "again every {}–{} s", file, reason, MEMORY_CAPACITY, DISK_RETRY.cap().toMillis() / 2000.0,
          DISK_RETRY.cap().toMillis() / 1000);
    }
    diskProblem = reason;
    scheduleDiskRetry();
  }

  private void scheduleDiskRetry() {
    if (diskTimer >= 0 || stopped) return;
    diskTimer = vertx.setTimer(Math.max(1, DISK_RETRY.delay(0, ThreadLocalRandom.current()).toMillis()), t -> {
      diskTimer = -1;
      tryDisk();
    });
  }

  /** Tries the file again; on success moves every message held in memory into it, in lane order. */
  private void tryDisk() {
    if (recovering || stopped) return;
    recovering = true;
    List<Row> held = new ArrayList<>();
    for (Lane lane : lanes.values()) held.addAll(lane.memory);
    this.<List<Long>>onDb(() -> moveToDisk(held)).onComplete(ar -> {
      recovering = false;
      if (ar.failed()) {
        diskProblem = String.valueOf(ar.cause().getMessage());
        LOG.debug("central outbox {} still unusable: {}", file, diskProblem);
        scheduleDiskRetry();
        return;
      }
      List<Long> seqs = ar.result();
      for (int i = 0; i < held.size(); i++) {
        Row r = held.get(i);
        Lane lane = lane(r.address);
        long seq = seqs.get(i);
        if (lane.memory.remove(r)) {
          memoryIds.remove(r.id);
          inMemory.decrementAndGet();
          r.seq = seq;
        } else if (seq >= 0) {
          lane.deliveredOnDisk.add(seq); // delivered while it was being written: only delete it
        }
      }
      LOG.info("central outbox {} writable again after: {}; {} message(s) held in memory moved to it", file, diskProblem,
          held.size());
      diskProblem = null;
      if (diskTimer >= 0) vertx.cancelTimer(diskTimer);
      diskTimer = -1;
      // Messages that arrived while this move ran are still in memory: move them too.
      if (inMemory.get() > 0) tryDisk();
      lanes.values().forEach(this::drain);
    });
  }

  /** Sends the lane's oldest messages in order, one batch at a time: the file's rows first, then what memory holds. */
  private void drain(Lane lane) {
    if (lane.draining || stopped) return;
    lane.draining = true;
    Set<Long> skip = Set.copyOf(lane.deliveredOnDisk);
    this.<List<Row>>onDb(() -> readLane(lane.address, BATCH + skip.size())).onComplete(ar -> {
      List<Row> rows = new ArrayList<>();
      if (ar.succeeded()) {
        for (Row r : ar.result()) if (!skip.contains(r.seq) && rows.size() < BATCH) rows.add(r);
      }
      if (rows.isEmpty()) {
        for (Row r : lane.memory) {
          if (rows.size() == BATCH) break;
          rows.add(r);
        }
      }
      if (rows.isEmpty()) {
        lane.draining = false;
        return;
      }
      sendInOrder(lane, rows, 0, new ArrayList<>());
    });
  }

  /**
   * Sends {@code rows[i..]} one after another; each goes out as soon as the previous one was
   * acknowledged. Acknowledged rows of the file are deleted together when the batch ends or a send
   * fails (a crash in between only means they are sent again, and receivers deduplicate by id).
   */
  private void sendInOrder(Lane lane, List<Row> rows, int i, List<Long> acked) {
    if (stopped) return;
    if (i == rows.size()) {
      forget(lane, acked).onComplete(x -> {
        lane.draining = false;
        lane.failedAttempts = 0;
        drain(lane);
      });
      return;
    }
    Row row = rows.get(i);
    transport.request(row.address, new JsonObject(row.body), sendTimeoutMs)
        .onComplete(ar -> {
          boolean rejected = ar.failed() && ar.cause() instanceof ReplyException re
              && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 400 && re.failureCode() < 500;
          if (ar.succeeded() || rejected) {
            if (rejected) {
              LOG.warn("{} rejected message {}: {}", row.address, row.id, ar.cause().getMessage());
              metrics.counter("panicmode_central_outbox_rejected_total", "Messages the receiver refused as malformed",
                  "address", row.address).increment();
            } else {
              metrics.counter("panicmode_central_outbox_delivered_total", "Messages acknowledged by their receiver",
                  "address", row.address).increment();
              onDelivered.accept(row.id);
            }
            if (row.seq >= 0) {
              acked.add(row.seq);
            } else if (lane.memory.remove(row)) {
              memoryIds.remove(row.id);
              inMemory.decrementAndGet();
            }
            sendInOrder(lane, rows, i + 1, acked);
            return;
          }
          metrics.counter("panicmode_central_outbox_retries_total", "Deliveries that failed and will be retried",
              "address", row.address).increment();
          long wait = LANE_RETRY.delay(lane.failedAttempts++, ThreadLocalRandom.current()).toMillis();
          LOG.debug("delivery to {} failed ({}); retrying in {} ms", row.address, ar.cause().getMessage(), wait);
          forget(lane, acked).onComplete(x -> lane.timer = vertx.setTimer(wait, t -> {
            lane.timer = -1;
            lane.draining = false;
            drain(lane);
          }));
        });
  }

  /** Deletes acknowledged rows from the file; those it cannot delete now (full disk) are skipped until it can. */
  private Future<Void> forget(Lane lane, List<Long> acked) {
    Set<Long> seqs = new HashSet<>(lane.deliveredOnDisk);
    seqs.addAll(acked);
    if (seqs.isEmpty()) return Future.succeededFuture();
    return this.<Integer>onDb(() -> delete(seqs)).transform(ar -> {
      if (ar.succeeded()) {
        onDisk.addAndGet(-ar.result());
        lane.deliveredOnDisk.removeAll(seqs);
      } else {
        lane.deliveredOnDisk.addAll(seqs);
        if (DiskFaults.isDiskFault(ar.cause())) degrade(ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }

  private interface DbWork<T> {
    T run() throws Exception;
  }

  /** Runs {@code work} on the db thread; the future completes on the link's context. */
  private <T> Future<T> onDb(DbWork<T> work) {
    Promise<T> p = Promise.promise();
    Context ctx = home != null ? home : vertx.getOrCreateContext();
    try {
      db.execute(() -> {
        try {
          T r = work.run();
          ctx.runOnContext(v -> p.complete(r));
        } catch (Exception | Error e) {
          ctx.runOnContext(v -> p.fail(e instanceof SQLException ? new OutboxException(file, (SQLException) e) : e));
        }
      });
    } catch (RejectedExecutionException e) {
      if (db.isShutdown()) {
        p.fail(new IllegalStateException("outbox closed"));
      } else {
        dbQueueFull.increment();
        p.fail(new IllegalStateException("outbox " + file + ": " + DB_QUEUE_CAPACITY + " file operations waiting"));
      }
    }
    return p.future();
  }

  /** An SQL failure of the outbox file, naming the file; the SQLite cause keeps its result code for {@link DiskFaults}. */
  static final class OutboxException extends RuntimeException {
    OutboxException(Path file, SQLException cause) {
      super("outbox " + file + ": " + cause.getMessage(), cause);
    }
  }
}
