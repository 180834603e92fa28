package io.panicmode.bench.storage;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.NodeContext;
import io.panicmode.storage.StorageVerticle;
import io.panicmode.storage.Writer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Incidents stored per second through the storage verticle on the event bus, each acknowledged
 * only after its COMMIT (synchronous=FULL, WAL). Baseline in the same run: the same verticle with
 * batches of one write (one COMMIT, one fsync, per incident).
 * Args: dir [batched writes=200000] [unbatched writes=5000] [in flight=2000]
 */
public final class StorageWriteBench {
  private StorageWriteBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int batchedN = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int unbatchedN = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
    Vertx vertx = Vertx.vertx();
    try {
      double base = run(vertx, dir.resolve("unbatched.db"), unbatchedN, window, 1);
      double batched = run(vertx, dir.resolve("batched.db"), batchedN, window, 1_000);
      System.out.printf(Locale.ROOT, "unbatched (1 write per COMMIT): %,d incidents in %.0f/s%n", unbatchedN, base);
      System.out.printf(Locale.ROOT, "batched (up to 1000 per COMMIT): %,d incidents in %.0f/s%n", batchedN, batched);
      System.out.printf(Locale.ROOT, "ratio batched/unbatched: %.1fx%n", batched / base);
    } finally {
      BenchSupport.await(vertx.close());
    }
  }

  /** Returns incidents per second; verifies every acknowledged row is in the file afterwards. */
  private static double run(Vertx vertx, Path db, int n, int window, int maxBatch) throws Exception {
    Files.deleteIfExists(db);
    NodeContext ctx = NodeContext.local(BenchSupport.config(db, 8765));
    Writer.Tuning tuning = new Writer.Tuning(Math.max(window * 2, 10_000), maxBatch, Duration.ofSeconds(1), Duration.ofHours(1));
    String id = BenchSupport.await(vertx.deployVerticle(new StorageVerticle(ctx, tuning)));
    long now = System.currentTimeMillis();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger acked = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(120_000);
    long start = System.nanoTime();
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (sent.get() < n && sent.get() - acked.get() < window) {
        int i = sent.getAndIncrement();
        var w = StorageWrite.incident(BenchSupport.incident("b-" + i, "agent-" + (i % 200), i, now - (n - i)));
        vertx.eventBus().request(Addresses.STORAGE, w.toJson(), opts).onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
            return;
          }
          if (acked.incrementAndGet() == n) done.tryComplete();
          else pump[0].run();
        });
      }
    };
    vertx.runOnContext(v -> pump[0].run());
    BenchSupport.await(done.future());
    double secs = (System.nanoTime() - start) / 1e9;
    long batches = ctx.metrics().counterValue("panicmode_storage_batches_total");
    System.out.printf(Locale.ROOT, "  %,d writes in %,d transactions (%.0f per COMMIT), %.2f s%n", n, batches, (double) n / batches, secs);
    BenchSupport.await(vertx.undeploy(id));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM incidents")) {
      rs.next();
      if (rs.getLong(1) != n) throw new IllegalStateException("acknowledged " + n + " but stored " + rs.getLong(1));
    }
    return n / secs;
  }
}
