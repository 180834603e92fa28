package io.panicmode.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens the SQLite file: the one writer connection (WAL, {@code synchronous=FULL} so an
 * acknowledged write survives a power cut, quick check, migrations) and read-only connections for
 * queries. Plain JDBC: transactions are explicit {@code BEGIN IMMEDIATE}/{@code COMMIT}
 * statements, never the pooled-transaction API that loses writes (see VERTX-NOTES).
 */
public final class Database {
  private Database() {}

  /** Opens the writer connection, creating the parent directory and migrating the schema. */
  public static Connection openWriter(Path file, String legacyHost) throws StorageException {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) Files.createDirectories(parent);
    } catch (IOException e) {
      throw new StorageException("cannot create directory " + parent + ": " + e, true, e);
    }
    Connection c = null;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), new Properties());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 5000");
        String mode;
        try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
          mode = rs.next() ? rs.getString(1) : "";
        }
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new SQLiteException("cannot switch to WAL journal (got " + mode + ")", SQLiteErrorCode.SQLITE_CANTOPEN);
        }
        s.execute("PRAGMA synchronous = FULL");
        s.execute("PRAGMA foreign_keys = OFF");
        try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
          String first = rs.next() ? rs.getString(1) : "";
          if (!"ok".equals(first)) {
            String summary = first == null ? "" : first.strip().replace('\n', ' ');
            if (summary.length() > 200) summary = summary.substring(0, 200) + "…";
            throw new SQLiteException("quick_check failed: " + summary, SQLiteErrorCode.SQLITE_CORRUPT);
          }
        }
      }
      Migrations.migrate(c, legacyHost);
      // Autocommit stays on: the writer issues BEGIN IMMEDIATE / COMMIT itself.
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw classify("cannot open " + file, e);
    }
  }

  /** A read-only connection for queries; fails when the file does not exist yet. */
  public static Connection openReader(Path file) throws StorageException {
    if (!Files.exists(file)) throw new StorageException("database " + file + " does not exist", true, null);
    Properties p = new Properties();
    p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    Connection c = null;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 5000");
        s.execute("PRAGMA query_only = 1");
      }
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw classify("cannot open " + file + " for reading", e);
    }
  }

  /** Sorts an SQL failure into "the database is unwell" and "this statement is wrong". */
  public static StorageException classify(String what, SQLException e) {
    boolean env = true;
    String code = "";
    if (e instanceof SQLiteException se) {
      SQLiteErrorCode rc = se.getResultCode();
      code = rc.name();
      int primary = rc.code & 0xff;
      env = switch (primary) {
        case 3, 5, 6, 7, 8, 10, 11, 13, 14, 15, 26 -> true; // PERM BUSY LOCKED NOMEM READONLY IOERR CORRUPT FULL CANTOPEN PROTOCOL NOTADB
        default -> false;
      };
    }
    String msg = e.getMessage() == null ? code : e.getMessage();
    return new StorageException(what + ": " + msg, env, e);
  }

  static void closeQuietly(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException ignored) {
      // Closing a broken connection can fail too; the connection is gone either way.
    }
  }
}
