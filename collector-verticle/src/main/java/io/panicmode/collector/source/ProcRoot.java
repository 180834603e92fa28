package io.panicmode.collector.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The configurable /proc root (collector.proc_root) and the reads every /proc source shares. */
public record ProcRoot(Path root) {
  public Path resolve(String relative) { return root.resolve(relative); }

  /** A small /proc file as text; bytes map 1:1 to chars so no input can fail decoding. */
  public String read(String relative) throws IOException {
    return new String(Files.readAllBytes(root.resolve(relative)), StandardCharsets.ISO_8859_1);
  }
}
