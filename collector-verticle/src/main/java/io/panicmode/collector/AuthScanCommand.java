package io.panicmode.collector;

import io.panicmode.collector.auth.AuthLogFile;
import io.panicmode.collector.auth.SshdFailure;
import io.panicmode.collector.auth.SshdLineParser;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code panicmode auth-scan FILE}: runs the collector's sshd parser over a log file and prints,
 * for every line recognised as a failure, one JSON object per line
 * {@code {"line":N,"ip":"...","user":"...","kind":"..."}} (line numbers from 1) on stdout, then a
 * summary on stderr. Every recognised line is printed, including the Failed line that the live
 * collector folds into the PAM line before it. Exit 0 when the file was read, 1 when it could not
 * be, 2 on a usage error.
 */
public final class AuthScanCommand {
  private AuthScanCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1 || args[0].startsWith("-")) {
      err.println("usage: panicmode auth-scan FILE");
      return 2;
    }
    Path file = Path.of(args[0]);
    if (!Files.isRegularFile(file)) {
      err.println("Error: not a readable file: " + file);
      return 1;
    }
    Map<String, Integer> byKind = new TreeMap<>();
    Set<String> ips = new HashSet<>();
    long[] tooLong = {0};
    long[] failures = {0};
    long lines;
    try {
      lines = AuthLogFile.scan(file, AuthLogFile.MAX_LINE_BYTES, new AuthLogFile.Visitor() {
        @Override public void failure(long lineNo, SshdFailure f) {
          failures[0]++;
          byKind.merge(f.kind().wire(), 1, Integer::sum);
          ips.add(f.ip());
          out.println(terminalSafe(new JsonObject().put("line", lineNo).put("ip", f.ip()).put("user", f.user())
              .put("kind", f.kind().wire()).encode()));
        }

        @Override public void tooLong(long lineNo) { tooLong[0]++; }
      }, SshdLineParser.live(ZoneId.systemDefault(), System::currentTimeMillis));
    } catch (IOException e) {
      err.println("Error: cannot read " + file + ": " + e.getMessage());
      return 1;
    }
    out.flush();
    err.println("auth-scan: " + lines + " lines, " + failures[0] + " failures from " + ips.size() + " IPs, "
        + tooLong[0] + " lines over " + AuthLogFile.MAX_LINE_BYTES + " bytes dropped");
    byKind.forEach((k, n) -> err.println("  " + k + ": " + n));
    return 0;
  }

  /**
   * The JSON encoder escapes C0 controls but leaves DEL and the C1 controls (U+0080-U+009F, e.g.
   * U+009B, a CSI to UTF-8 terminals) raw. User names are attacker text printed to an admin's
   * terminal, so those become JSON escapes too; the JSON value is unchanged.
   */
  static String terminalSafe(String json) {
    StringBuilder sb = null;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c >= 0x7f && c <= 0x9f) {
        if (sb == null) sb = new StringBuilder(json.length() + 16).append(json, 0, i);
        sb.append(String.format("\\u%04X", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? json : sb.toString();
  }
}
