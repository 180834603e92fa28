package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup procedure of docs/operations.md, done while a writer keeps committing to a WAL
 * database as the storage role does: both `.backup` and `VACUUM INTO` give an intact,
 * transaction-consistent copy, and the writer never fails.
 */
class SqliteBackupTest {

  @Test
  void onlineBackupsAreConsistentWhileTheWriterRuns(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/sqlite3")), "the sqlite3 command-line tool is not installed");
    String docs = Repo.read("docs/operations.md");
    assertTrue(docs.contains("\".backup '") && docs.contains("\"VACUUM INTO '"), "the documented commands changed");

    Path db = dir.resolve("incidents.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE incidents (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, body TEXT NOT NULL)");
      s.execute("CREATE TABLE counter (n INTEGER NOT NULL)");
      s.execute("INSERT INTO counter VALUES (0)");
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong committed = new AtomicLong();
    AtomicReference<Throwable> writerError = new AtomicReference<>();
    // Each transaction adds one row and bumps the counter: a consistent copy has count(*) == n.
    Thread writer = new Thread(() -> {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?busy_timeout=5000");
           Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        while (!stop.get()) {
          long next = committed.get() + 1;
          s.execute("BEGIN IMMEDIATE");
          s.execute("INSERT INTO incidents (seq, body) VALUES (" + next + ", '" + "x".repeat(200) + "')");
          s.execute("UPDATE counter SET n = n + 1");
          s.execute("COMMIT");
          committed.set(next);
        }
      } catch (Throwable t) {
        writerError.set(t);
      }
    }, "backup-test-writer");
    writer.start();
    try {
      Await.until("200 commits before the backups", () -> committed.get() >= 200);
      Path backup = dir.resolve("backup.db");
      Path vacuumed = dir.resolve("vacuumed.db");
      sqlite3(db, ".backup '" + backup + "'");
      long atBackup = committed.get();
      sqlite3(db, "VACUUM INTO '" + vacuumed + "'");
      long atVacuum = committed.get();
      Await.until("50 more commits after the backups", () -> committed.get() >= atVacuum + 50);
      stop.set(true);
      writer.join(10_000);
      assertNull(writerError.get(), "the writer failed during the backups");
      for (Path copy : List.of(backup, vacuumed)) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement s = c.createStatement()) {
          assertEquals("ok", single(s, "PRAGMA integrity_check"), copy + ": integrity");
          long rows = Long.parseLong(single(s, "SELECT count(*) FROM incidents"));
          long n = Long.parseLong(single(s, "SELECT n FROM counter"));
          long maxSeq = Long.parseLong(single(s, "SELECT max(seq) FROM incidents"));
          assertEquals(n, rows, copy + ": the copy is one transaction's view");
          assertEquals(rows, maxSeq, copy + ": no gap");
          assertTrue(rows >= 200, copy + ": rows committed before the backup are in it");
        }
      }
      assertTrue(atBackup >= 200 && atVacuum >= atBackup);
    } finally {
      stop.set(true);
      writer.join(10_000);
    }
  }

  private static void sqlite3(Path db, String command) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/sqlite3", db.toString(), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sqlite3 hung");
    assertEquals(0, p.exitValue(), "sqlite3 " + command + ": " + out);
  }

  private static String single(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }
}
