package io.panicmode.action.exec;

import io.panicmode.contracts.Incident;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The snapshot action: a text file {@code panicmode-snapshot-<unix_secs>[-N].txt} under
 * {@code storage.snapshot_dir} with the header of the Rust version and sections UPTIME,
 * PROCESSES, NETWORK, MEMORY and DISK. Commands are found by absolute path in the system
 * directories only (never through PATH), run with an environment of just PATH and LC_ALL=C, each
 * with a timeout and an output cap. A second snapshot in the same second gets a new name instead
 * of overwriting. After each snapshot, files beyond {@code snapshot_keep} or older than
 * {@code snapshot_max_age} are deleted. Blocking.
 */
public final class Snapshotter {
  static final String PREFIX = "panicmode-snapshot-";
  private static final List<String> SYSTEM_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");
  private static final int TEXT_CAP = 8192;

  private final Path dir;
  private final int keep;
  private final Duration maxAge;
  private final Clock clock;
  private final Duration commandTimeout;
  private final int outputCap;
  private final Map<String, List<String>> sections;

  public Snapshotter(Path dir, int keep, Duration maxAge, Clock clock, Duration commandTimeout, int outputCap) {
    this.dir = dir;
    this.keep = keep;
    this.maxAge = maxAge;
    this.clock = clock;
    this.commandTimeout = commandTimeout;
    this.outputCap = outputCap;
    this.sections = new LinkedHashMap<>();
    sections.put("UPTIME", List.of("uptime"));
    sections.put("PROCESSES", List.of("ps", "aux", "--sort=-%cpu"));
    sections.put("NETWORK", List.of("ss", "-tulpn"));
    sections.put("MEMORY", List.of("free", "-m"));
    sections.put("DISK", List.of("df", "-h"));
  }

  static Optional<String> resolve(String program) {
    for (String d : SYSTEM_DIRS) {
      Path p = Path.of(d, program);
      if (Files.isExecutable(p)) return Optional.of(p.toString());
    }
    return Optional.empty();
  }

  /** Writes one snapshot and prunes old ones; returns the new file. */
  public Path take(Incident incident) throws IOException {
    Files.createDirectories(dir);
    StringBuilder sb = new StringBuilder();
    Instant now = clock.instant();
    sb.append("=== PanicMode Snapshot ===\n");
    sb.append("Timestamp: ").append(now).append('\n');
    if (incident != null) {
      sb.append("Incident: ").append(cap(incident.rule())).append('\n');
      sb.append("Severity: ").append(incident.severity().display()).append('\n');
      sb.append("Description: ").append(cap(incident.description())).append('\n');
      sb.append("Details: ").append(cap(incident.details())).append('\n');
    } else {
      sb.append("Incident: (manual)\n");
    }
    Map<String, String> env = Map.of("PATH", ProcessRunner.SAFE_PATH, "LC_ALL", "C");
    for (Map.Entry<String, List<String>> s : sections.entrySet()) {
      sb.append("\n=== ").append(s.getKey()).append(" ===\n");
      List<String> argv = new ArrayList<>(s.getValue());
      Optional<String> bin = resolve(argv.get(0));
      if (bin.isEmpty()) {
        sb.append("(").append(argv.get(0)).append(" not available)\n");
        continue;
      }
      argv.set(0, bin.get());
      ProcessRunner.Result r = ProcessRunner.run(argv, env, null, commandTimeout, outputCap);
      sb.append(r.output());
      if (r.truncated()) sb.append("\n...[output truncated]\n");
      if (!r.ok()) sb.append("(").append(String.join(" ", argv)).append(": ").append(r.describe()).append(")\n");
    }
    Path file = create(now.getEpochSecond(), sb.toString().getBytes(StandardCharsets.UTF_8));
    prune();
    return file;
  }

  private Path create(long secs, byte[] content) throws IOException {
    for (int n = 1; n < 1000; n++) {
      Path p = dir.resolve(PREFIX + secs + (n == 1 ? "" : "-" + n) + ".txt");
      try {
        Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException e) {
        continue;
      }
      try (OutputStream os = Files.newOutputStream(p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        os.write(content);
      }
      return p;
    }
    throw new IOException("too many snapshots in second " + secs);
  }

  /** Deletes snapshots beyond the count or age limit, oldest first. */
  void prune() throws IOException {
    record F(Path path, FileTime mtime) {}
    List<F> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*.txt")) {
      for (Path p : ds) files.add(new F(p, Files.getLastModifiedTime(p)));
    }
    files.sort(Comparator.comparing(F::mtime).reversed().thenComparing(f -> f.path().getFileName().toString(),
        Comparator.reverseOrder()));
    long cutoff = clock.millis() - maxAge.toMillis();
    for (int i = 0; i < files.size(); i++) {
      F f = files.get(i);
      if (i >= keep || f.mtime().toMillis() < cutoff) Files.deleteIfExists(f.path());
    }
  }

  private static String cap(String s) {
    if (s == null) return "";
    return s.length() <= TEXT_CAP ? s : s.substring(0, TEXT_CAP) + "...[truncated]";
  }
}
