package io.panicmode.detector.state;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes the detector's state file ({@code storage.state_file}). A write goes to a
 * temporary file in the same directory, is flushed to disk, then renamed over the old one, so a
 * crash leaves either the old or the new state, never half of one. Blocking: call off the event loop.
 */
public final class StateFile {
  private StateFile() {}

  /** Largest state file read back; a bigger one is not ours. */
  static final long MAX_BYTES = 256L * 1024 * 1024;

  /** The state in {@code file}; empty when there is none. IOException when unreadable, IllegalArgumentException when malformed. */
  public static DetectorState load(Path file, long dedupWindowMs) throws IOException {
    if (!Files.exists(file)) return DetectorState.empty(dedupWindowMs);
    if (Files.size(file) > MAX_BYTES) throw new IllegalArgumentException(file + ": larger than " + MAX_BYTES + " bytes");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return DetectorState.fromJson(new JsonObject(text), dedupWindowMs);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(file + ": not JSON: " + e.getMessage(), e);
    }
  }

  public static void save(Path file, JsonObject state) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.writeString(tmp, state.encode(), StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
