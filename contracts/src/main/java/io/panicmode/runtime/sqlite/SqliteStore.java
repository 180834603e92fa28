package io.panicmode.runtime.sqlite;

import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.DiskFaults;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way PanicMode keeps state in SQLite: a file with a single writer connection (a
 * vertx-jdbc-client pool of one, held for the store's life) and a pool of read-only connections
 * beside it.
 *
 * <p>Writes wait in a bounded queue; whatever is waiting (up to {@link Spec#maxBatch}) runs in
 * one {@code BEGIN IMMEDIATE} … {@code COMMIT} issued as SQL, so one fsync covers many writes
 * under load and a lone write commits at once. The SQL form matters: the client's transaction API
 * in 5.0.x leaves the connection with autocommit off after COMMIT and later writes are silently
 * lost (VERTX-NOTES.md); a test counts rows after a restart to guard this. When one write of a
 * batch fails for its own reason, the batch is rolled back and each write run alone, so only that
 * one fails.
 *
 * <p>When the file cannot be used (full or read-only disk, I/O error, missing directory) the store
 * goes on in an in-memory database: it copies what the file still shows (reading works on a full
 * disk), tells the {@link Listener}, and tries the file again on the {@link Spec#diskRetry}
 * backoff. Once a write to the file succeeds, every row held in memory is merged into it with each
 * table's {@link Table#mergeIntoDisk} statement and the store uses the file again. A damaged file
 * (corrupt, not a database) is moved aside and replaced at open: it would never heal by waiting.
 *
 * <p>All work runs on the store's own context, never on the caller's, so a caller may block a
 * worker thread on {@link #await} without starving the store. Futures of the asynchronous methods
 * complete on the caller's context.
 */
public final class SqliteStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

  /**
   * How hard a COMMIT pushes to the disk. {@code FULL}: an acknowledged write survives a power cut
   * (what an acknowledgement to another node promises). {@code NORMAL}: in WAL mode a power cut may
   * lose the last commits but never corrupts the file (for data that a peer resends anyway).
   */
  public enum Durability { FULL, NORMAL }

  /** A unit of SQL work on a connection of the store. */
  @FunctionalInterface
  public interface Work<T> {
    Future<T> run(SqlConnection c);
  }

  /** Told, on the context that opened the store, when it leaves its file for memory and when it returns. */
  public interface Listener {
    void inMemory(String reason);

    void backOnDisk();

    Listener NONE = new Listener() {
      @Override
      public void inMemory(String reason) { }

      @Override
      public void backOnDisk() { }
    };
  }

  /**
   * A table the store carries between file and memory.
   *
   * @param columns       its columns, comma separated, copied into memory as they are
   * @param mergeIntoDisk run with the file attached as {@code disk}: moves the memory rows
   *                      ({@code main.<name>}) into the file, memory winning where both hold a row
   */
  public record Table(String name, String columns, String mergeIntoDisk) {}

  /**
   * @param name          a short name for logs, metrics and health ({@code alert_outbox})
   * @param schema        creates or upgrades the tables on a fresh connection (file or memory)
   * @param queueCapacity writes that may wait; beyond it a write fails at once and is counted
   * @param maxBatch      most writes in one transaction
   * @param readers       read-only connections beside the writer
   * @param diskRetry     when a store held in memory tries its file again (attempt n waits delay(n))
   */
  public record Spec(String name, Path file, Durability durability, Work<Void> schema, List<Table> tables,
                     int queueCapacity, int maxBatch, int readers, Backoff diskRetry) {
    public Spec {
      Objects.requireNonNull(name);
      Objects.requireNonNull(file);
      if (queueCapacity < 1 || maxBatch < 1 || readers < 1) throw new IllegalArgumentException("sizes must be >= 1");
    }
  }

  /** A full queue: the caller may retry later. */
  public static final class QueueFullException extends RuntimeException {
    QueueFullException(String message) { super(message, null, false, false); }
  }

  private record Op<T>(Work<T> work, Promise<T> done, boolean alone) {}

  private record Failure(Throwable cause) {}

  private final Vertx vertx;
  private final ContextInternal home;
  private final ContextInternal owner;
  private final Spec spec;
  private final Listener listener;
  private final ArrayDeque<Op<?>> queue = new ArrayDeque<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final LongAdder rejected;
  private final LongAdder switches;
  // Owned by the home context.
  private Pool writerPool;
  private SqlConnection writer;
  private Pool readers;
  private boolean busy;
  private boolean closed;
  private long diskTimer = -1;
  private int diskAttempts;
  private volatile String diskProblem;

  private SqliteStore(Vertx vertx, ContextInternal owner, Spec spec, Listener listener, MetricsRegistry metrics) {
    this.vertx = vertx;
    this.home = ((VertxInternal) vertx).createEventLoopContext();
    this.owner = owner;
    this.spec = spec;
    this.listener = listener;
    this.rejected = metrics.counter("panicmode_store_writes_rejected_total",
        "Writes refused because the store's queue was full", "store", spec.name());
    this.switches = metrics.counter("panicmode_store_memory_switches_total",
        "Times the store left its file for memory", "store", spec.name());
    metrics.gauge("panicmode_store_queue_depth", "Writes waiting for the store's writer", waiting::get, "store", spec.name());
    metrics.gauge("panicmode_store_in_memory", "1 while the store is held in memory because its file cannot be written",
        () -> diskProblem == null ? 0 : 1, "store", spec.name());
  }

  /**
   * Opens the file (creating its directory; a damaged file is moved aside). A file that cannot be
   * written is not a failure: the store starts in memory and says so through the listener.
   */
  public static Future<SqliteStore> open(Vertx vertx, Spec spec, Listener listener, MetricsRegistry metrics) {
    ContextInternal caller = ((VertxInternal) vertx).getOrCreateContext();
    SqliteStore store = new SqliteStore(vertx, caller, spec, listener, metrics);
    Promise<SqliteStore> opened = Promise.promise();
    store.home.runOnContext(v -> store.openFile(true).transform(ar -> {
      if (ar.succeeded()) {
        store.useFile(ar.result());
        return Future.succeededFuture(store);
      }
      if (!DiskFaults.isDiskFault(ar.cause())) return Future.failedFuture(ar.cause());
      return store.toMemory(ar.cause()).map(store);
    }).onComplete(ar -> caller.runOnContext(x -> opened.handle(ar))));
    return opened.future();
  }

  public String name() { return spec.name(); }

  /** Why the store is held in memory, or null while it uses its file. */
  public String diskProblem() { return diskProblem; }

  public boolean inMemory() { return diskProblem != null; }

  /** For {@code /health}: null while on disk, else what is wrong and what it means. */
  public String healthProblem() {
    String p = diskProblem;
    return p == null ? null : spec.name() + " held in memory until its file can be written (" + p + ")";
  }

  /** Writes waiting for the writer. */
  public int pending() { return waiting.get(); }

  /** Queues {@code work} for the writer; it runs inside a transaction with whatever else is waiting. */
  public <T> Future<T> write(Work<T> work) {
    return onCaller(submit(work, false));
  }

  /** Runs {@code work} on a read-only connection (on the writer while the store is held in memory). */
  public <T> Future<T> read(Work<T> work) {
    return onCaller(readHere(work));
  }

  /**
   * Blocks this thread until {@code f} completes (tests, tools, and the *AndWait methods, whose
   * futures complete on the store's own context and so never need the waiting thread).
   */
  public static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  /** {@link #write} for a worker thread whose API blocks: waits for the commit. */
  public <T> T writeAndWait(Work<T> work) throws Exception { return await(submit(work, false)); }

  /** {@link #read} for a worker thread whose API blocks. */
  public <T> T readAndWait(Work<T> work) throws Exception { return await(readHere(work)); }

  /** {@link #close} for a worker thread. */
  public void closeAndWait() throws Exception { await(closeHere()); }

  /** Commits what is queued, then closes every connection. */
  public Future<Void> close() {
    return onCaller(closeHere());
  }

  private Future<Void> closeHere() {
    Promise<Void> done = Promise.promise();
    home.runOnContext(v -> {
      // Queued here, on the home context, so it is the last op: everything before it commits first.
      Promise<Void> last = Promise.promise();
      waiting.incrementAndGet();
      queue.add(new Op<Void>(c -> Future.succeededFuture(), last, true));
      pump();
      closed = true;
      if (diskTimer >= 0) vertx.cancelTimer(diskTimer);
      last.future().transform(ar -> closeConnections()).onComplete(ar -> done.complete());
    });
    return done.future();
  }

  // ---- queue and batches (home context) ----

  private <T> Future<T> onCaller(Future<T> onHome) {
    ContextInternal caller = ((VertxInternal) vertx).getOrCreateContext();
    Promise<T> p = Promise.promise();
    onHome.onComplete(ar -> caller.runOnContext(x -> p.handle(ar)));
    return p.future();
  }

  private <T> Future<T> submit(Work<T> work, boolean alone) {
    Promise<T> done = Promise.promise();
    if (waiting.incrementAndGet() > spec.queueCapacity() && !alone) {
      waiting.decrementAndGet();
      rejected.increment();
      String why = diskProblem == null ? "" : " (held in memory: " + diskProblem + ")";
      done.fail(new QueueFullException(spec.name() + " queue full: " + spec.queueCapacity() + " writes waiting" + why));
      return done.future();
    }
    home.runOnContext(v -> {
      if (closed) {
        waiting.decrementAndGet();
        done.fail(new IllegalStateException(spec.name() + " closed"));
        return;
      }
      queue.add(new Op<>(work, done, alone));
      pump();
    });
    return done.future();
  }

  private <T> Future<T> readHere(Work<T> work) {
    Promise<T> p = Promise.promise();
    home.runOnContext(v -> {
      if (readers == null) {
        submit(work, true).onComplete(p);
      } else {
        readers.withConnection(c -> safely(work, c)).onComplete(p);
      }
    });
    return p.future();
  }

  private void pump() {
    if (busy || queue.isEmpty()) return;
    busy = true;
    List<Op<?>> batch = new ArrayList<>(Math.min(queue.size(), spec.maxBatch()));
    if (queue.peek().alone()) batch.add(queue.poll());
    while (!queue.isEmpty() && !queue.peek().alone() && batch.size() < spec.maxBatch()) batch.add(queue.poll());
    Future<List<Object>> ran = batch.get(0).alone() ? runAlone(batch.get(0)) : runBatch(batch, true);
    ran.onComplete(ar -> {
      waiting.addAndGet(-batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Object r = ar.succeeded() ? ar.result().get(i) : new Failure(ar.cause());
        complete(batch.get(i), r);
      }
      busy = false;
      pump();
    });
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Op<T> op, Object result) {
    if (result instanceof Failure f) op.done().tryFail(f.cause());
    else op.done().tryComplete((T) result);
  }

  private Future<List<Object>> runAlone(Op<?> op) {
    return safely(op.work(), writer).<List<Object>>map(r -> java.util.Collections.singletonList(r))
        .otherwise(e -> List.of(new Failure(e)));
  }

  /**
   * One transaction for the batch. A disk fault moves the store to memory and runs the batch
   * there; any other failure runs each write alone (when {@code split}) so only the bad one fails.
   */
  private Future<List<Object>> runBatch(List<Op<?>> batch, boolean split) {
    return inTransaction(writer, batch).recover(e -> {
      if (diskProblem == null && DiskFaults.isDiskFault(e)) {
        return toMemory(e).compose(v -> inTransaction(writer, batch)).otherwise(e2 -> failAll(batch, e2));
      }
      if (batch.size() == 1 || !split) return Future.succeededFuture(failAll(batch, e));
      return oneByOne(batch, 0, new ArrayList<>(batch.size()));
    });
  }

  private Future<List<Object>> oneByOne(List<Op<?>> batch, int i, List<Object> results) {
    if (i == batch.size()) return Future.succeededFuture(results);
    return runBatch(List.of(batch.get(i)), false).compose(r -> {
      results.add(r.get(0));
      return oneByOne(batch, i + 1, results);
    });
  }

  private static List<Object> failAll(List<Op<?>> batch, Throwable e) {
    List<Object> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) out.add(new Failure(e));
    return out;
  }

  private static Future<List<Object>> inTransaction(SqlConnection c, List<Op<?>> ops) {
    List<Object> results = new ArrayList<>(ops.size());
    return c.query("BEGIN IMMEDIATE").execute()
        .compose(v -> runEach(c, ops, 0, results))
        .compose(v -> c.query("COMMIT").execute())
        .<List<Object>>map(v -> results)
        // SQLite may already have rolled back after an I/O error; the original failure is what counts.
        .recover(e -> c.query("ROLLBACK").execute().transform(x -> Future.failedFuture(e)));
  }

  private static Future<Void> runEach(SqlConnection c, List<Op<?>> ops, int i, List<Object> results) {
    if (i == ops.size()) return Future.succeededFuture();
    return safely(ops.get(i).work(), c).compose(r -> {
      results.add(r);
      return runEach(c, ops, i + 1, results);
    });
  }

  private static <T> Future<T> safely(Work<T> work, SqlConnection c) {
    try {
      Future<T> f = work.run(c);
      return f == null ? Future.succeededFuture() : f;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  // ---- file and memory (home context) ----

  private record Opened(Pool pool, SqlConnection conn) {}

  private String fileUrl(boolean readOnly) {
    String path = "jdbc:sqlite:" + spec.file().toAbsolutePath();
    // Pragmas in the URL apply to every connection the pool opens.
    return readOnly ? path + "?open_mode=1&busy_timeout=5000"
        : path + "?journal_mode=WAL&synchronous=" + spec.durability() + "&busy_timeout=5000";
  }

  private Pool pool(String url, int size) {
    // No generated keys: sqlite-jdbc would run an extra query after every insert to fetch them.
    JDBCConnectOptions options = new JDBCConnectOptions().setJdbcUrl(url).setAutoGeneratedKeys(false)
        .setExtraConfig(new JsonObject().put("encoderCls", SqliteEncoder.class.getName()));
    return JDBCPool.pool(vertx, options, new PoolOptions().setMaxSize(size));
  }

  /** Opens the file's writer connection, applies the schema and proves with a write that the file takes writes. */
  private Future<Opened> openFile(boolean moveAsideIfDamaged) {
    Path parent = spec.file().toAbsolutePath().getParent();
    return home.<Void>executeBlocking(() -> {
      if (parent != null) Files.createDirectories(parent);
      return null;
    }).compose(v -> {
      Pool p = pool(fileUrl(false), 1);
      return p.getConnection().compose(c -> prepare(c).compose(x -> probe(c)).map(x -> new Opened(p, c))
              .recover(e -> c.close().transform(y -> Future.<Opened>failedFuture(e))))
          .recover(e -> p.close().transform(y -> Future.failedFuture(e)));
    }).recover(e -> {
      if (!moveAsideIfDamaged || !DiskFaults.isCorrupt(e)) return Future.failedFuture(e);
      return home.<Void>executeBlocking(() -> {
        Path file = spec.file();
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        Files.move(file, aside);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
        LOG.error("{} {} is damaged ({}); moved it to {} and started a new one", spec.name(), file, e.getMessage(), aside);
        return null;
      }).compose(x -> openFile(false));
    });
  }

  private Future<Void> prepare(SqlConnection c) {
    return spec.schema() == null ? Future.succeededFuture() : safely(spec.schema(), c);
  }

  private static Future<Void> probe(SqlConnection c) {
    return c.query("CREATE TABLE IF NOT EXISTS store_probe (k INTEGER PRIMARY KEY, at INTEGER NOT NULL)").execute()
        .compose(v -> c.preparedQuery("INSERT OR REPLACE INTO store_probe (k, at) VALUES (1, ?)")
            .execute(Tuple.of(System.currentTimeMillis())))
        .mapEmpty();
  }

  private void useFile(Opened o) {
    writerPool = o.pool();
    writer = o.conn();
    readers = pool(fileUrl(true), spec.readers());
  }

  /**
   * Continues in a memory database holding a copy of what the file shows, then tries the file
   * again on the backoff. The old connections are closed.
   */
  private Future<Void> toMemory(Throwable cause) {
    String reason = "cannot use " + spec.file() + ": " + cause.getMessage();
    Pool mem = pool("jdbc:sqlite::memory:", 1);
    return mem.getConnection().compose(c -> prepare(c).compose(v -> copyFromFile(c)).map(c)).compose(c -> {
      SqlConnection oldWriter = writer;
      Pool oldPool = writerPool;
      Pool oldReaders = readers;
      writerPool = mem;
      writer = c;
      readers = null;
      diskProblem = reason;
      switches.increment();
      LOG.error("{} {}; kept in memory until the file can be written again", spec.name(), reason);
      owner.runOnContext(x -> listener.inMemory(reason));
      scheduleDiskRetry();
      Future<Void> writerClosed = oldWriter == null ? Future.succeededFuture() : oldWriter.close().otherwiseEmpty();
      return writerClosed.compose(v -> Future.join(closeQuietly(oldReaders), closeQuietly(oldPool)))
          .<Void>mapEmpty().otherwiseEmpty();
    });
  }

  private Future<Void> copyFromFile(SqlConnection mem) {
    // An empty file is what a failed first open on a full disk leaves: nothing to copy.
    if (spec.tables().isEmpty() || !hasContent(spec.file())) return Future.succeededFuture();
    Future<Void> f = mem.preparedQuery("ATTACH DATABASE ? AS disk").execute(Tuple.of(spec.file().toAbsolutePath().toString()))
        .mapEmpty();
    for (Table t : spec.tables()) {
      f = f.compose(v -> mem.query("INSERT OR IGNORE INTO main." + t.name() + " (" + t.columns() + ") SELECT "
          + t.columns() + " FROM disk." + t.name()).execute().mapEmpty());
    }
    return f.recover(e -> {
      LOG.error("{}: cannot copy {} into memory ({}); its rows stay in the file", spec.name(), spec.file(), e.getMessage());
      return Future.succeededFuture();
    }).compose(v -> mem.query("DETACH DATABASE disk").execute().<Void>mapEmpty().otherwiseEmpty());
  }

  private static boolean hasContent(Path file) {
    try {
      return Files.size(file) > 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private void scheduleDiskRetry() {
    if (closed || diskTimer >= 0) return;
    long wait = spec.diskRetry().delay(diskAttempts++, ThreadLocalRandom.current()).toMillis();
    diskTimer = vertx.setTimer(Math.max(1, wait), t -> {
      diskTimer = -1;
      if (closed || diskProblem == null) return;
      submit(c -> backToDisk(), true).onFailure(e -> {
        LOG.debug("{} {} still unusable: {}", spec.name(), spec.file(), e.toString());
        scheduleDiskRetry();
      });
    });
  }

  /** Runs alone in the writer queue: opens the file, merges the memory rows into it, and uses it. */
  private Future<Void> backToDisk() {
    return openFile(true).compose(o -> mergeIntoFile().transform(ar -> {
      if (ar.failed()) {
        return o.conn().close().transform(x -> o.pool().close()).transform(x -> Future.<Void>failedFuture(ar.cause()));
      }
      Pool mem = writerPool;
      String was = diskProblem;
      useFile(o);
      diskProblem = null;
      diskAttempts = 0;
      LOG.info("{} {} writable again after: {}; what was kept in memory is in it", spec.name(), spec.file(), was);
      owner.runOnContext(x -> listener.backOnDisk());
      return closeQuietly(mem);
    }));
  }

  private Future<Void> mergeIntoFile() {
    SqlConnection mem = writer;
    Future<Void> attached = mem.preparedQuery("ATTACH DATABASE ? AS disk").execute(Tuple.of(spec.file().toAbsolutePath().toString()))
        .compose(v -> mem.query("PRAGMA disk.synchronous=" + spec.durability()).execute()).mapEmpty();
    return attached.compose(v -> {
      Future<Void> f = mem.query("BEGIN IMMEDIATE").execute().mapEmpty();
      for (Table t : spec.tables()) f = f.compose(x -> mem.query(t.mergeIntoDisk()).execute().mapEmpty());
      return f.compose(x -> mem.query("COMMIT").execute().<Void>mapEmpty())
          .recover(e -> mem.query("ROLLBACK").execute().transform(x -> Future.<Void>failedFuture(e)))
          .transform(ar -> mem.query("DETACH DATABASE disk").execute().transform(x -> ar.failed()
              ? Future.<Void>failedFuture(ar.cause()) : Future.<Void>succeededFuture()));
    });
  }

  private Future<Void> closeConnections() {
    SqlConnection w = writer;
    Pool wp = writerPool;
    Pool r = readers;
    writer = null;
    writerPool = null;
    readers = null;
    Future<Void> closedWriter = w == null ? Future.succeededFuture() : w.close().otherwiseEmpty();
    return closedWriter.compose(v -> Future.join(closeQuietly(wp), closeQuietly(r))).mapEmpty();
  }

  private static Future<Void> closeQuietly(Pool p) {
    return p == null ? Future.succeededFuture() : p.close().otherwiseEmpty();
  }
}
