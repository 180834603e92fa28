package io.panicmode.storage;

import io.panicmode.contracts.StorageQuery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs queries on its own thread and read-only connection, so reads never wait behind a write
 * batch (WAL lets one writer and readers work at once). The connection opens on first use and is
 * dropped after an error about the database, to be reopened by the next query. At most
 * {@code maxWaiting} queries wait; more fail at once.
 */
public final class Reader implements AutoCloseable {
  private final Path file;
  private final ThreadPoolExecutor executor;
  private final LongAdder rejected;
  private Connection conn; // reader thread only

  public Reader(Path file, int maxWaiting, LongAdder rejected) {
    this.file = file;
    this.rejected = rejected;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxWaiting), r -> {
      Thread t = new Thread(r, "panicmode-storage-reader");
      t.setDaemon(true);
      return t;
    });
  }

  /** The reply JSON; fails with {@link StorageException} or a {@code MessageFormatException} (bad cursor). */
  public CompletableFuture<JsonObject> query(StorageQuery q) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          if (conn == null) conn = Database.openReader(file);
          return Queries.run(conn, q);
        } catch (StorageException e) {
          throw new java.util.concurrent.CompletionException(e);
        } catch (SQLException e) {
          StorageException se = Database.classify("query failed", e);
          if (se.environmental()) {
            Database.closeQuietly(conn);
            conn = null;
          }
          throw new java.util.concurrent.CompletionException(se);
        }
      }, executor);
    } catch (RejectedExecutionException e) {
      rejected.increment();
      return CompletableFuture.failedFuture(new StorageException("too many queries waiting", true, e));
    }
  }

  @Override
  public void close() {
    try {
      executor.execute(() -> {
        Database.closeQuietly(conn);
        conn = null;
      });
    } catch (RejectedExecutionException e) {
      // Queue full: the connection is closed with the JVM's finalisation of the driver instead.
    }
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
