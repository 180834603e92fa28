package io.panicmode.runtime;

import java.io.IOException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Sorts SQLite and file failures into "the disk or the file is unwell" (full, read-only, I/O
 * error, corrupt, cannot open, not a database: switch to memory and try the disk again later) and
 * everything else (a wrong statement, a busy lock: retrying the same store makes sense).
 */
public final class DiskFaults {
  private DiskFaults() {}

  /** True when {@code e} (or a cause) says the file cannot be written or read as a database. */
  public static boolean isDiskFault(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException se) {
        return switch (se.getResultCode().code & 0xff) {
          case 3, 8, 10, 11, 13, 14, 26 -> true; // PERM READONLY IOERR CORRUPT FULL CANTOPEN NOTADB
          default -> false;
        };
      }
      if (t instanceof IOException) return true;
      if (t instanceof SQLException) return false;
    }
    return false;
  }

  /** True when the file itself is damaged (corrupt, or not a database at all): it will not heal by waiting. */
  public static boolean isCorrupt(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException se) {
        SQLiteErrorCode rc = se.getResultCode();
        int primary = rc.code & 0xff;
        return primary == 11 || primary == 26;
      }
    }
    return false;
  }
}
