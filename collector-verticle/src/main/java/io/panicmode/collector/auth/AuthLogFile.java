package io.panicmode.collector.auth;

import io.panicmode.contracts.AuthEvent;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads a whole auth log (for {@code panicmode replay}): the same parser and accounting as the live follower. */
public final class AuthLogFile {
  private AuthLogFile() {}

  /** Default cap for lines, as {@code collector.max_line_bytes}. */
  public static final int MAX_LINE_BYTES = 4096;

  /**
   * Every failure of {@code file} as an AuthEvent whose ts is the line's own syslog or ISO
   * timestamp; classic syslog timestamps (no year) get {@code year} in {@code zone}. Lines
   * whose date is impossible (Feb 30) have no time and are left out. One event per failure, as
   * the live collector counts them in {@code mode}.
   */
  public static List<AuthEvent> events(Path file, String hostId, ZoneId zone, int year, AuthMode mode) throws IOException {
    List<AuthEvent> out = new ArrayList<>();
    SshdLineParser parser = SshdLineParser.forYear(zone, year);
    AttemptAccounting accounting = new AttemptAccounting(mode);
    scan(file, MAX_LINE_BYTES, new Visitor() {
      @Override public void failure(long lineNo, SshdFailure f) {
        if (f.tsMillis() < 0) return;
        int n = accounting.failures(f, f.tsMillis());
        for (int i = 0; i < n; i++) out.add(new AuthEvent(hostId, f.tsMillis(), f.ip(), f.user(), f.kind().wire(), f.port()));
      }
    }, parser);
    return out;
  }

  /** Called for each recognised line and each dropped long line, with 1-based line numbers. */
  public interface Visitor {
    void failure(long lineNo, SshdFailure f);

    default void tooLong(long lineNo) {}
  }

  /** A rotated, compressed log ({@code auth.log.2.gz}) is read through gzip, recognised by its magic bytes. */
  static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** Streams {@code file} (plain or gzip) through the parser; returns the number of lines read. */
  public static long scan(Path file, int maxLineBytes, Visitor v, SshdLineParser parser) throws IOException {
    long[] lineNo = {0};
    LineSplitter splitter = new LineSplitter(maxLineBytes);
    LineSplitter.Sink sink = new LineSplitter.Sink() {
      @Override public void line(byte[] buf, int off, int len) {
        lineNo[0]++;
        SshdFailure f = parser.parseLine(buf, off, len);
        if (f != null) v.failure(lineNo[0], f);
      }

      @Override public void tooLong() {
        lineNo[0]++;
        v.tooLong(lineNo[0]);
      }
    };
    try (InputStream in = open(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) splitter.feed(buf, 0, n, sink);
    }
    splitter.finish(sink);
    return lineNo[0];
  }
}
