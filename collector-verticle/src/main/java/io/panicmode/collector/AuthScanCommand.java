package io.panicmode.collector;

import io.panicmode.collector.auth.AttemptAccounting;
import io.panicmode.collector.auth.AuthKind;
import io.panicmode.collector.auth.AuthLogFile;
import io.panicmode.collector.auth.AuthMode;
import io.panicmode.collector.auth.SshdFailure;
import io.panicmode.collector.auth.SshdLineParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

/**
 * {@code panicmode auth-scan [--mode normal|aggressive] [--all] FILE}: runs the collector's sshd
 * parser and attempt accounting over a log file and prints, for every line that counts as a
 * failure, one JSON object per line
 * {@code {"line":N,"ip":"...","user":"...","kind":"...","failures":1}} (line numbers from 1) on
 * stdout, then a summary on stderr. With {@code --all}, lines that are recognised but not counted
 * (the Failed line of an attempt whose PAM line counted, a connection's closing line) are printed
 * too, with {@code "failures":0}. Exit 0 when the file was read, 1 when it could not be, 2 on a
 * usage error.
 */
public final class AuthScanCommand {
  private AuthScanCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    AuthMode mode = AuthMode.NORMAL;
    boolean all = false;
    String name = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--all")) {
        all = true;
      } else if (args[i].equals("--mode") && i + 1 < args.length) {
        try {
          mode = AuthMode.parse(args[++i]);
        } catch (IllegalArgumentException e) {
          err.println("usage: panicmode auth-scan [--mode normal|aggressive] [--all] FILE (--mode " + e.getMessage() + ")");
          return 2;
        }
      } else if (name == null && !args[i].startsWith("-")) {
        name = args[i];
      } else {
        name = null;
        break;
      }
    }
    if (name == null) {
      err.println("usage: panicmode auth-scan [--mode normal|aggressive] [--all] FILE");
      return 2;
    }
    Path file = Path.of(name);
    if (!Files.isRegularFile(file)) {
      err.println("Error: not a readable file: " + file);
      return 1;
    }
    long[] byKind = new long[AuthKind.values().length];
    DistinctIps ips = new DistinctIps();
    long[] tooLong = {0};
    long[] failures = {0};
    long[] uncounted = {0};
    long lines;
    AttemptAccounting accounting = new AttemptAccounting(mode);
    boolean printAll = all;
    // Only for lines without a time of their own; read once, not per line.
    long startedMillis = System.currentTimeMillis();
    // Written in blocks of bytes: a million failures must cost neither a million flushes of
    // stdout nor a character encoder.
    JsonLines rows = new JsonLines(out);
    try {
      lines = AuthLogFile.scan(file, AuthLogFile.MAX_LINE_BYTES, new AuthLogFile.Visitor() {
        @Override public void failure(long lineNo, SshdFailure f) {
          int n = accounting.failures(f, startedMillis);
          if (n == 0) uncounted[0]++;
          else {
            failures[0] += n;
            byKind[f.kind().ordinal()] += n;
            ips.add(f.ip());
          }
          if (n > 0 || printAll) rows.row(lineNo, f.ip(), f.user(), f.kind().wire(), n);
        }

        @Override public void tooLong(long lineNo) { tooLong[0]++; }
      }, SshdLineParser.live(ZoneId.systemDefault(), System::currentTimeMillis));
    } catch (IOException e) {
      err.println("Error: cannot read " + file + ": " + e.getMessage());
      return 1;
    }
    rows.flush();
    err.println("auth-scan (" + mode.name().toLowerCase(java.util.Locale.ROOT) + " mode): " + lines + " lines, "
        + failures[0] + " failures from " + ips.size() + " IPs, " + uncounted[0]
        + " recognised lines not counted (same attempt or connection, or not counted in this mode), "
        + tooLong[0] + " lines over " + AuthLogFile.MAX_LINE_BYTES + " bytes dropped");
    for (AuthKind k : AuthKind.values()) if (byKind[k.ordinal()] > 0) err.println("  " + k.wire() + ": " + byKind[k.ordinal()]);
    return 0;
  }

}
