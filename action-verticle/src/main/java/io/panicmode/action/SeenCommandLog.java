package io.panicmode.action;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The accepted command ids with their {@code issuedAt}, kept in a file in the action role's data
 * dir so a captured command replayed after a restart is still refused. One line per id,
 * {@code issuedAt base64url(id)}, appended before the command runs; an id older than
 * {@code window} can no longer pass the freshness check and is dropped when the file is rewritten
 * (at open, and whenever dead lines outnumber live ones). Lines are written without fsync: the
 * threat is a process restart, which keeps the page cache. Thread-safe (appends come from workers).
 */
final class SeenCommandLog {
  /** Rewrite once this many more lines were written than there are live ids. */
  private static final int SLACK = 10_000;

  private final Path file;
  private final Clock clock;
  private final long windowMs;
  private final Map<String, Long> live = new HashMap<>();
  private Writer out;
  private int lines;

  private SeenCommandLog(Path file, Clock clock, long windowMs) {
    this.file = file;
    this.clock = clock;
    this.windowMs = windowMs;
  }

  /** Reads {@code file} (absent is fine) and rewrites it with the ids still inside the window. */
  static SeenCommandLog open(Path file, Clock clock, long windowMs) throws IOException {
    SeenCommandLog log = new SeenCommandLog(file, clock, windowMs);
    if (Files.exists(file)) {
      List<String> text = Files.readAllLines(file, StandardCharsets.US_ASCII);
      for (int i = 0; i < text.size(); i++) {
        try {
          log.parse(text.get(i), i + 1);
        } catch (IOException e) {
          // A torn last line (a crash mid-write) is expected; anything earlier means the file is not ours.
          if (i < text.size() - 1) throw e;
        }
      }
    }
    synchronized (log) {
      log.rewrite();
    }
    return log;
  }

  /** The remembered ids and their issuedAt, as read at open. */
  synchronized Map<String, Long> remembered() {
    return Map.copyOf(live);
  }

  synchronized void append(String id, long issuedAt) throws IOException {
    live.put(id, issuedAt);
    if (lines - live.size() > Math.max(SLACK, live.size())) {
      rewrite();
      return;
    }
    out.write(line(id, issuedAt));
    out.flush();
    lines++;
  }

  private void parse(String line, int number) throws IOException {
    if (line.isBlank()) return;
    int space = line.indexOf(' ');
    try {
      long issuedAt = Long.parseLong(line.substring(0, space));
      String id = new String(Base64.getUrlDecoder().decode(line.substring(space + 1)), StandardCharsets.UTF_8);
      live.merge(id, issuedAt, Math::max);
    } catch (RuntimeException e) {
      throw new IOException(file + " line " + number + ": not \"issuedAt base64(id)\"");
    }
  }

  /** Drops ids outside the window and writes the rest to a fresh file, replacing the old one atomically. */
  private void rewrite() throws IOException {
    long oldest = clock.millis() - windowMs;
    live.values().removeIf(issuedAt -> issuedAt < oldest);
    if (out != null) out.close();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
      for (Map.Entry<String, Long> e : live.entrySet()) w.write(line(e.getKey(), e.getValue()));
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    lines = live.size();
  }

  synchronized void close() throws IOException {
    if (out != null) out.close();
  }

  private static String line(String id, long issuedAt) {
    return issuedAt + " " + Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8)) + "\n";
  }
}
