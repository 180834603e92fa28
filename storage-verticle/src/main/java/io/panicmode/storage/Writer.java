package io.panicmode.storage;

import io.panicmode.runtime.MetricsRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the database: one connection owned by one thread. Writes wait in a bounded
 * queue; the thread takes whatever is waiting (up to {@code maxBatch}) and commits it in one
 * {@code BEGIN IMMEDIATE}/{@code COMMIT}, then completes each write's future. A future completes
 * successfully only after the COMMIT that contains its row returned, so nothing is acknowledged
 * that is not stored.
 * <p>
 * When the database cannot be opened or written (missing or read-only directory, full disk,
 * corruption) the writer is <em>degraded</em>: it tells the {@link Listener}, keeps the failed batch
 * and everything queued behind it, and retries every {@code retryInterval}. It recovers only after
 * a real write succeeds (a full disk lets the file open but not grow). While degraded, the bounded
 * queue fills; once full, new writes fail at once and are counted.
 */
public final class Writer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

  /**
   * @param bufferCapacity writes that may wait (the bound of the degraded-mode buffer too)
   * @param maxBatch       most writes per transaction
   * @param retryInterval  how often a degraded writer tries the database again
   * @param pruneInterval  how often retention pruning runs
   */
  public record Tuning(int bufferCapacity, int maxBatch, Duration retryInterval, Duration pruneInterval) {
    public static final Tuning DEFAULT = new Tuning(10_000, 1_000, Duration.ofSeconds(5), Duration.ofHours(1));

    public Tuning {
      if (bufferCapacity < 1 || maxBatch < 1) throw new IllegalArgumentException("bufferCapacity and maxBatch must be >= 1");
    }
  }

  /** Called on the writer thread: hand over to your own thread before doing real work. */
  public interface Listener {
    void degraded(String reason);

    void recovered();
  }

  /** @param duplicate true when the write id had been applied before (nothing changed) */
  public record Outcome(String id, boolean duplicate) {}

  private record Pending(WriteApplier.Decoded write, CompletableFuture<Outcome> done) {}

  private final Path file;
  private final String legacyHost;
  private final Clock clock;
  private final Duration retention;
  private final Tuning tuning;
  private final Listener listener;
  private final ArrayBlockingQueue<Pending> queue;
  private final Thread thread;
  private final CompletableFuture<String> firstOpen = new CompletableFuture<>();
  private final LongAdder committed;
  private final LongAdder duplicates;
  private final LongAdder rejected;
  private final LongAdder badWrites;
  private final LongAdder batches;
  private final MetricsRegistry metrics;

  private volatile boolean running = true;
  private volatile boolean pruneRequested;
  private volatile String degradedReason;

  // Owned by the writer thread.
  private Connection conn;
  private WriteApplier applier;
  // Volatile only so the queue-depth gauge reads a current size; only the writer thread assigns it.
  private volatile List<Pending> carry = List.of();

  public Writer(Path file, String legacyHost, Clock clock, Duration retention, Tuning tuning, Listener listener,
                MetricsRegistry metrics) {
    this.file = file;
    this.legacyHost = legacyHost;
    this.clock = clock;
    this.retention = retention;
    this.tuning = tuning;
    this.listener = listener;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(tuning.bufferCapacity());
    this.committed = metrics.counter("panicmode_storage_writes_total", "Writes committed to the database");
    this.duplicates = metrics.counter("panicmode_storage_duplicate_writes_total",
        "Writes whose id was already stored (acknowledged, nothing changed)");
    this.rejected = metrics.counter("panicmode_storage_writes_rejected_total",
        "Writes refused because the storage buffer was full");
    this.badWrites = metrics.counter("panicmode_storage_write_errors_total",
        "Writes refused by the database itself (not retryable)");
    this.batches = metrics.counter("panicmode_storage_batches_total", "Write transactions committed");
    metrics.gauge("panicmode_storage_queue_depth", "Writes waiting to be committed", this::pending);
    metrics.gauge("panicmode_storage_degraded", "1 while the database cannot be written", () -> degradedReason == null ? 0 : 1);
    this.thread = new Thread(this::run, "panicmode-storage-writer");
    this.thread.setDaemon(true);
  }

  /** Starts the thread; the future completes after the first open attempt with null (ok) or the reason it failed. */
  public CompletableFuture<String> start() {
    thread.start();
    return firstOpen;
  }

  /** Queues a write. Fails at once (retry later helps) when the buffer is full or the writer is closed. */
  public CompletableFuture<Outcome> submit(WriteApplier.Decoded write) {
    Pending p = new Pending(write, new CompletableFuture<>());
    if (!running) {
      p.done().completeExceptionally(new StorageException("storage is stopping", true, null));
    } else if (!queue.offer(p)) {
      rejected.increment();
      String why = degradedReason == null ? "" : " (degraded: " + degradedReason + ")";
      p.done().completeExceptionally(new StorageException(
          "storage buffer full: " + tuning.bufferCapacity() + " writes waiting" + why, true, null));
    }
    return p.done();
  }

  /** Asks the writer thread to prune by retention before its next batch. */
  public void requestPrune() { pruneRequested = true; }

  public boolean isDegraded() { return degradedReason != null; }

  public String degradedReason() { return degradedReason; }

  public int pending() { return queue.size() + carry.size(); }

  /** Stops taking writes, commits what is queued if the database works, fails the rest, closes. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    firstOpen.complete(open() ? null : degradedReason);
    while (running) {
      try {
        if (conn == null) {
          if (!open()) {
            pause();
            continue;
          }
        }
        if (degradedReason != null && carry.isEmpty() && queue.isEmpty()) {
          if (!probe()) {
            pause();
            continue;
          }
        }
        if (pruneRequested) {
          pruneRequested = false;
          prune();
          continue;
        }
        List<Pending> batch = carry.isEmpty() ? take() : carry;
        carry = List.of();
        if (!batch.isEmpty() && !commit(batch)) pause();
      } catch (InterruptedException e) {
        // close() interrupts to end a wait; the loop condition decides.
      }
    }
    shutdown();
  }

  private List<Pending> take() throws InterruptedException {
    Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
    if (first == null) return List.of();
    List<Pending> batch = new ArrayList<>(Math.min(tuning.maxBatch(), queue.size() + 1));
    batch.add(first);
    queue.drainTo(batch, tuning.maxBatch() - 1);
    return batch;
  }

  /** Commits a batch; false when the database failed (the batch is kept in {@code carry}). */
  private boolean commit(List<Pending> batch) {
    long now = clock.millis();
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        for (Pending p : batch) {
          boolean applied = applier.apply(p.write(), now);
          outcomes.add(new Outcome(p.write().id(), !applied));
        }
        s.execute("COMMIT");
      } catch (SQLException e) {
        rollback(s);
        throw e;
      }
    } catch (SQLException e) {
      StorageException se = Database.classify("write failed", e);
      if (se.environmental()) {
        carry = batch;
        degrade(se.getMessage());
        dropConnection();
        return false;
      }
      return isolate(batch, se);
    }
    batches.increment();
    if (degradedReason != null) recover();
    for (int i = 0; i < batch.size(); i++) {
      Outcome o = outcomes.get(i);
      if (o.duplicate()) duplicates.increment(); else committed.increment();
      batch.get(i).done().complete(o);
    }
    return true;
  }

  /** One write of the batch is bad: commit them one by one so only that one fails. */
  private boolean isolate(List<Pending> batch, StorageException cause) {
    if (batch.size() == 1) {
      badWrites.increment();
      LOG.warn("storage write {} refused: {}", batch.get(0).write().id(), cause.getMessage());
      batch.get(0).done().completeExceptionally(cause);
      return true;
    }
    for (int i = 0; i < batch.size(); i++) {
      if (!commit(List.of(batch.get(i)))) {
        List<Pending> rest = new ArrayList<>(carry);
        rest.addAll(batch.subList(i + 1, batch.size()));
        carry = rest;
        return false;
      }
    }
    return true;
  }

  /** Proves the database takes writes again (a full disk still opens) before declaring recovery. */
  private boolean probe() {
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        s.execute("INSERT OR REPLACE INTO applied_writes (id, applied_at) VALUES ('panicmode:probe', " + clock.millis() + ")");
        s.execute("COMMIT");
      } catch (SQLException e) {
        rollback(s);
        throw e;
      }
      recover();
      return true;
    } catch (SQLException e) {
      degrade(Database.classify("write failed", e).getMessage());
      dropConnection();
      return false;
    }
  }

  private void prune() {
    long cutoff = clock.millis() - retention.toMillis();
    try {
      Map<String, Integer> deleted = Retention.prune(conn, cutoff);
      deleted.forEach((table, n) -> {
        if (n > 0) metrics.counter("panicmode_storage_pruned_total", "Rows deleted by retention", "table", table).add(n);
      });
      LOG.debug("retention prune: {}", deleted);
    } catch (SQLException e) {
      StorageException se = Database.classify("retention prune failed", e);
      LOG.warn(se.getMessage());
      if (se.environmental()) {
        degrade(se.getMessage());
        dropConnection();
      }
    }
  }

  private boolean open() {
    try {
      conn = Database.openWriter(file, legacyHost);
      applier = new WriteApplier(conn);
      return true;
    } catch (StorageException e) {
      degrade(e.getMessage());
      conn = null;
      return false;
    } catch (SQLException e) {
      degrade(Database.classify("cannot prepare statements", e).getMessage());
      dropConnection();
      return false;
    }
  }

  private void degrade(String reason) {
    boolean first = degradedReason == null;
    degradedReason = reason;
    if (first) {
      LOG.error("storage degraded: {}", reason);
      listener.degraded(reason);
    }
  }

  private void recover() {
    LOG.info("storage recovered after: {}", degradedReason);
    degradedReason = null;
    listener.recovered();
  }

  private void dropConnection() {
    if (applier != null) applier.close();
    applier = null;
    Database.closeQuietly(conn);
    conn = null;
  }

  private void pause() {
    try {
      Thread.sleep(tuning.retryInterval().toMillis());
    } catch (InterruptedException e) {
      // close() interrupts to end the pause early.
    }
  }

  private void shutdown() {
    List<Pending> rest = new ArrayList<>(carry);
    carry = List.of();
    queue.drainTo(rest);
    int i = 0;
    while (conn != null && i < rest.size()) {
      List<Pending> batch = new ArrayList<>(rest.subList(i, Math.min(rest.size(), i + tuning.maxBatch())));
      if (!commit(batch)) break;
      i += batch.size();
    }
    queue.drainTo(rest);
    StorageException stopped = new StorageException("storage stopped before commit", true, null);
    for (Pending p : rest) {
      if (!p.done().isDone()) p.done().completeExceptionally(stopped);
    }
    dropConnection();
  }

  private static void rollback(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // No transaction left to roll back (SQLite may already have rolled back on an I/O error).
    }
  }
}
