package io.panicmode.runtime.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one SQLite store, on real files: batching, restart, a bad write, a full queue, memory and back. */
class SqliteStoreTest {
  @TempDir Path dir;
  Vertx vertx;
  MetricsRegistry metrics;
  Path mounted;
  final CompletableFuture<String> wentToMemory = new CompletableFuture<>();
  final CompletableFuture<Void> backOnDisk = new CompletableFuture<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    metrics = new MetricsRegistry();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (mounted != null) new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor();
  }

  private SqliteStore.Spec spec(Path file, int capacity) {
    SqliteStore.Work<Void> schema = c -> c.query("CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, v TEXT NOT NULL)")
        .execute().mapEmpty();
    return new SqliteStore.Spec("test_store", file, SqliteStore.Durability.FULL, schema,
        List.of(new SqliteStore.Table("t", "id, v",
            "INSERT INTO disk.t (id, v) SELECT id, v FROM main.t WHERE true ON CONFLICT(id) DO UPDATE SET v = excluded.v")),
        capacity, 100, 2, new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)));
  }

  private SqliteStore open(Path file, int capacity) throws Exception {
    return SqliteStore.await(SqliteStore.open(vertx, spec(file, capacity), new SqliteStore.Listener() {
      @Override
      public void inMemory(String reason) { wentToMemory.complete(reason); }

      @Override
      public void backOnDisk() { backOnDisk.complete(null); }
    }, metrics));
  }

  private static Future<Integer> insert(SqliteStore s, String id) {
    return s.write(c -> c.preparedQuery("INSERT INTO t (id, v) VALUES (?, ?)").execute(Tuple.of(id, "x" + id))
        .map(r -> r.rowCount()));
  }

  private static long rowsInFile(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private static long count(SqliteStore s) throws Exception {
    return SqliteStore.await(s.read(c -> c.query("SELECT count(*) FROM t").execute()
        .map(rs -> rs.iterator().next().getLong(0))));
  }

  /** Guard for the client's transaction API, which loses writes after COMMIT: every acknowledged row is in the file. */
  @Test
  void everyAcknowledgedRowIsInTheFileAfterARestart() throws Exception {
    Path file = dir.resolve("a.db");
    SqliteStore s = open(file, 10_000);
    List<Future<Integer>> writes = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) writes.add(insert(s, "r" + i));
    SqliteStore.await(Future.all(writes));
    assertEquals(2_000, count(s));
    // More writes after the batches committed: the connection must still be in autocommit between transactions.
    for (int i = 0; i < 50; i++) SqliteStore.await(insert(s, "late" + i));
    SqliteStore.await(s.close());
    assertEquals(2_050, rowsInFile(file));
    SqliteStore again = open(file, 10);
    assertEquals(2_050, count(again));
    SqliteStore.await(again.close());
  }

  @Test
  void aBadWriteFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
    Path file = dir.resolve("b.db");
    SqliteStore s = open(file, 100);
    SqliteStore.await(insert(s, "dup"));
    Future<Integer> a = insert(s, "a1");
    Future<Integer> bad = insert(s, "dup");
    Future<Integer> b = insert(s, "b1");
    SqliteStore.await(Future.join(a, bad, b).otherwiseEmpty());
    assertTrue(a.succeeded() && b.succeeded(), "the good writes commit");
    assertTrue(bad.failed(), "the duplicate fails");
    SqliteStore.await(s.close());
    assertEquals(3, rowsInFile(file));
  }

  @Test
  void aFullQueueRefusesAtOnceAndCounts() throws Exception {
    SqliteStore s = open(dir.resolve("c.db"), 1);
    Promise<Void> gate = Promise.promise();
    Future<Void> held = s.write(c -> gate.future());
    Future<Integer> refused = insert(s, "x");
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> refused.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof SqliteStore.QueueFullException, e.toString());
    assertEquals(1, metrics.counterValue("panicmode_store_writes_rejected_total", "store", "test_store"));
    gate.complete();
    SqliteStore.await(held);
    SqliteStore.await(s.close());
  }

  @Test
  void anUnusableDirectoryMeansMemoryAndEverythingMovesToTheFileWhenItCanBeUsed() throws Exception {
    Path blocker = dir.resolve("sub");
    Files.writeString(blocker, "not a directory");
    Path file = blocker.resolve("d.db");
    SqliteStore s = open(file, 100);
    assertNotNull(wentToMemory.get(10, TimeUnit.SECONDS));
    assertNotNull(s.healthProblem());
    for (int i = 0; i < 20; i++) SqliteStore.await(insert(s, "m" + i));
    assertEquals(20, count(s));
    Files.delete(blocker);
    backOnDisk.get(30, TimeUnit.SECONDS);
    assertNull(s.diskProblem());
    assertNull(s.healthProblem());
    SqliteStore.await(insert(s, "after"));
    SqliteStore.await(s.close());
    assertEquals(21, rowsInFile(file));
  }

  @Test
  void aDamagedFileIsMovedAsideAndReplaced() throws Exception {
    Path file = dir.resolve("e.db");
    byte[] junk = new byte[8192];
    new java.util.Random(7).nextBytes(junk);
    Files.write(file, junk);
    SqliteStore s = open(file, 10);
    assertNull(s.diskProblem());
    SqliteStore.await(insert(s, "fresh"));
    SqliteStore.await(s.close());
    assertEquals(1, rowsInFile(file));
    try (var listing = Files.list(dir)) {
      assertTrue(listing.anyMatch(p -> p.getFileName().toString().startsWith("e.db.corrupt-")));
    }
  }

  /** The disk fills while the store runs: it goes on in memory, and back to the file once there is room, nothing lost. */
  @Test
  void aDiskThatFillsWhileRunningMovesToMemoryAndBack() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "skipped: mounting a small tmpfs needs root");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mount")), "skipped: /usr/bin/mount not installed");
    Path data = Files.createDirectory(dir.resolve("data"));
    assertEquals(0, new ProcessBuilder("/usr/bin/mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", data.toString())
        .inheritIO().start().waitFor());
    mounted = data;
    Path file = data.resolve("f.db");
    SqliteStore s = open(file, 10_000);
    for (int i = 0; i < 10; i++) SqliteStore.await(insert(s, "before" + i));
    Path filler = data.resolve("filler");
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[4096];
      while (true) out.write(block);
    } catch (java.io.IOException full) {
      // the tmpfs is full now
    }
    List<Future<Integer>> during = new ArrayList<>();
    for (int i = 0; i < 500; i++) during.add(insert(s, "during" + i + "-" + "y".repeat(200)));
    SqliteStore.await(Future.all(during));
    assertTrue(wentToMemory.get(10, TimeUnit.SECONDS).toLowerCase().contains("full"), wentToMemory.get());
    assertEquals(510, count(s), "the memory copy holds what the file had plus the new rows");
    Files.delete(filler);
    backOnDisk.get(30, TimeUnit.SECONDS);
    SqliteStore.await(s.close());
    assertEquals(510, rowsInFile(file));
    assertEquals(1, metrics.counterValue("panicmode_store_memory_switches_total", "store", "test_store"));
  }
}
