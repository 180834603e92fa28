package io.panicmode.collector.auth;

import io.panicmode.contracts.AuthEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole auth log (for {@code panicmode replay}): the same parser and dedup as the live follower. */
public final class AuthLogFile {
  private AuthLogFile() {}

  /** Default cap for lines, as {@code collector.max_line_bytes}. */
  public static final int MAX_LINE_BYTES = 4096;

  /**
   * Every failure of {@code file} as an AuthEvent whose ts is the line's own syslog or ISO
   * timestamp; classic syslog timestamps (no year) get {@code year} in {@code zone}. Lines
   * whose date is impossible (Feb 30) have no time and are left out.
   */
  public static List<AuthEvent> events(Path file, String hostId, ZoneId zone, int year) throws IOException {
    List<AuthEvent> out = new ArrayList<>();
    SshdLineParser parser = SshdLineParser.forYear(zone, year);
    AttemptDedup dedup = new AttemptDedup();
    scan(file, MAX_LINE_BYTES, new Visitor() {
      @Override public void failure(long lineNo, SshdFailure f) {
        if (f.tsMillis() >= 0 && dedup.accept(f)) {
          out.add(new AuthEvent(hostId, f.tsMillis(), f.ip(), f.user(), f.kind().wire(), f.port()));
        }
      }
    }, parser);
    return out;
  }

  /** Called for each recognised line and each dropped long line, with 1-based line numbers. */
  public interface Visitor {
    void failure(long lineNo, SshdFailure f);

    default void tooLong(long lineNo) {}
  }

  /** Streams {@code file} through the parser; returns the number of lines read. */
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
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) splitter.feed(buf, 0, n, sink);
    }
    splitter.finish(sink);
    return lineNo[0];
  }
}
