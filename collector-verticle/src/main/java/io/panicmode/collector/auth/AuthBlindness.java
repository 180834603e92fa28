package io.panicmode.collector.auth;

import io.panicmode.config.CollectorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Whether SSH detection can see anything: a readable auth log, or journald with a journal to read.
 * {@code journalctl -f} on a host without journal files waits forever without a word, so the
 * journal is judged by its files, in the places journalctl reads by default.
 */
public final class AuthBlindness {
  /** Where journalctl looks for the system journal (volatile, then persistent). */
  public static final List<Path> JOURNAL_DIRS = List.of(Path.of("/run/log/journal"), Path.of("/var/log/journal"));

  private AuthBlindness() {}

  /** Why the SSH monitor sees nothing, or null when it can see; {@code auth_source: off} is a choice, never blind. */
  public static String reason(CollectorConfig c, List<Path> journalDirs, Predicate<String> onPath) {
    String logs = String.join(", ", c.authLogs());
    return switch (c.authSource()) {
      case "off" -> null;
      case "file" -> anyReadable(c.authLogs()) ? null : "no readable auth log (" + logs + ")";
      case "journald" -> journalProblem(journalDirs, onPath);
      default -> {
        if (anyReadable(c.authLogs())) yield null;
        String journal = journalProblem(journalDirs, onPath);
        yield journal == null ? null : "no readable auth log (" + logs + ") and " + journal;
      }
    };
  }

  private static String journalProblem(List<Path> journalDirs, Predicate<String> onPath) {
    if (!onPath.test("journalctl")) return "no journalctl on PATH";
    for (Path dir : journalDirs) if (hasJournalFile(dir)) return null;
    return "journalctl finds no journal (no *.journal file under "
        + String.join(", ", journalDirs.stream().map(Path::toString).toList()) + ")";
  }

  private static boolean anyReadable(List<String> paths) {
    for (String p : paths) {
      Path path = Path.of(p);
      if (Files.isRegularFile(path) && Files.isReadable(path)) return true;
    }
    return false;
  }

  /** journald keeps its files one level down, in a directory named by the machine id. */
  private static boolean hasJournalFile(Path dir) {
    if (!Files.isDirectory(dir)) return false;
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".journal") && Files.isReadable(f));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
