package io.panicmode.bench.storage;

import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.sqlite.SqliteStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the Vert.x JDBC client costs on the hot write path: the same rows (an incident-sized
 * insert each, WAL, synchronous=FULL, up to 1,000 per {@code BEGIN IMMEDIATE}/{@code COMMIT}),
 * once with plain JDBC on one thread and once through {@link SqliteStore} with 2,000 writes in
 * flight. Both verify the row count in the file afterwards.
 * Args: dir [rows=100000]
 */
public final class StoreClientBench {
  private StoreClientBench() {}

  private static final String CREATE = "CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, host TEXT NOT NULL, "
      + "rule TEXT NOT NULL, severity TEXT NOT NULL, started_at INTEGER NOT NULL, details TEXT NOT NULL)";
  private static final String INSERT = "INSERT INTO incidents (id, host, rule, severity, started_at, details) VALUES (?,?,?,?,?,?)";
  private static final String DETAILS = "{\"value\":97.5,\"threshold\":90,\"message\":\"cpu above threshold for 30s\"}";

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    double plain = plainJdbc(dir.resolve("plain.db"), n);
    double client = throughStore(dir.resolve("store.db"), n);
    System.out.printf(Locale.ROOT, "plain JDBC, one thread: %,d rows at %.0f/s%n", n, plain);
    System.out.printf(Locale.ROOT, "SqliteStore (vertx-jdbc-client): %,d rows at %.0f/s%n", n, client);
    System.out.printf(Locale.ROOT, "client cost: %.1fx plain JDBC time%n", plain / client);
  }

  private static double plainJdbc(Path db, int n) throws Exception {
    Files.deleteIfExists(db);
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?journal_mode=WAL&synchronous=FULL");
         Statement s = c.createStatement()) {
      s.execute(CREATE);
      try (PreparedStatement ins = c.prepareStatement(INSERT)) {
        for (int i = 0; i < n; ) {
          s.execute("BEGIN IMMEDIATE");
          for (int end = Math.min(n, i + 1_000); i < end; i++) {
            ins.setString(1, "inc-" + i);
            ins.setString(2, "agent-" + (i % 200));
            ins.setString(3, "high_cpu");
            ins.setString(4, "critical");
            ins.setLong(5, 1_700_000_000_000L + i);
            ins.setString(6, DETAILS);
            ins.executeUpdate();
          }
          s.execute("COMMIT");
        }
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    check(db, n);
    return n / secs;
  }

  private static double throughStore(Path db, int n) throws Exception {
    Files.deleteIfExists(db);
    Vertx vertx = Vertx.vertx();
    try {
      SqliteStore.Spec spec = new SqliteStore.Spec("bench", db, SqliteStore.Durability.FULL,
          c -> c.query(CREATE).execute().mapEmpty(), List.of(), 10_000, 1_000, 1,
          new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5)));
      SqliteStore store = SqliteStore.await(SqliteStore.open(vertx, spec, SqliteStore.Listener.NONE, new MetricsRegistry()));
      AtomicInteger sent = new AtomicInteger();
      AtomicInteger acked = new AtomicInteger();
      Promise<Void> done = Promise.promise();
      long start = System.nanoTime();
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (sent.get() < n && sent.get() - acked.get() < 2_000) {
          int i = sent.getAndIncrement();
          Tuple row = Tuple.of("inc-" + i, "agent-" + (i % 200), "high_cpu", "critical", 1_700_000_000_000L + i, DETAILS);
          Future<Void> w = store.write(c -> c.preparedQuery(INSERT).execute(row).mapEmpty());
          w.onComplete(ar -> {
            if (ar.failed()) done.tryFail(ar.cause());
            else if (acked.incrementAndGet() == n) done.tryComplete();
            else pump[0].run();
          });
        }
      };
      vertx.runOnContext(v -> pump[0].run());
      SqliteStore.await(done.future());
      double secs = (System.nanoTime() - start) / 1e9;
      SqliteStore.await(store.close());
      check(db, n);
      return n / secs;
    } finally {
      SqliteStore.await(vertx.close());
    }
  }

  private static void check(Path db, int n) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM incidents")) {
      rs.next();
      if (rs.getLong(1) != n) throw new IllegalStateException("acknowledged " + n + " but stored " + rs.getLong(1));
    }
  }
}
