package io.panicmode.collector.auth;

import io.panicmode.config.CollectorConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Chooses the auth feeds from {@code collector.auth_source}: {@code file} follows every path of
 * {@code auth_logs} (missing ones are waited for); {@code journald} follows journalctl;
 * {@code auto} follows the auth logs that exist, else journald when journalctl is installed, else
 * waits for the listed files and reports that it does; {@code off} follows nothing.
 */
public final class AuthFeeds {
  private AuthFeeds() {}

  public static List<AuthFeed> select(CollectorConfig c, AuthPipeline pipeline, Consumer<String> trouble) {
    List<AuthFeed> out = new ArrayList<>();
    switch (c.authSource()) {
      case "off" -> { }
      case "journald" -> out.add(new JournaldFollower("journalctl", c.maxLineBytes(), pipeline, trouble));
      case "file" -> c.authLogs().forEach(p -> out.add(new FileFollower(Path.of(p), c.maxLineBytes(), pipeline, trouble)));
      default -> {
        for (String p : c.authLogs()) {
          if (Files.exists(Path.of(p))) out.add(new FileFollower(Path.of(p), c.maxLineBytes(), pipeline, trouble));
        }
        if (out.isEmpty() && onPath("journalctl")) {
          out.add(new JournaldFollower("journalctl", c.maxLineBytes(), pipeline, trouble));
        } else if (out.isEmpty()) {
          trouble.accept("no auth log (" + String.join(", ", c.authLogs()) + ") and no journalctl; waiting for the files");
          c.authLogs().forEach(p -> out.add(new FileFollower(Path.of(p), c.maxLineBytes(), pipeline, trouble)));
        }
      }
    }
    return out;
  }

  public static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
    }
    return false;
  }
}
