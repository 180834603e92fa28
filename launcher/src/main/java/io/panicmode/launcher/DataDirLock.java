package io.panicmode.launcher;

import io.panicmode.contracts.Role;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PanicMode instance per data dir and role: an exclusive lock on {@code <dir>/panicmode-<role>.lock}
 * for each role this process runs. Two daemons running the same role on the same data dir would share
 * one SQLite file, one block ledger and one outbox and undo each other's work, so the second one is
 * refused. Locks are per role because the privilege-separated deployment runs several processes
 * (different roles) on one data dir. The kernel drops the locks when the process dies, even by kill -9,
 * so no stale lock outlives its holder; the file keeps the holder's PID only to name it in the error.
 */
final class DataDirLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirLock.class);
  private final List<FileChannel> channels;
  private final List<Path> tempFiles;

  private DataDirLock(List<FileChannel> channels, List<Path> tempFiles) {
    this.channels = channels;
    this.tempFiles = tempFiles;
  }

  /**
   * Locks every role's file; throws with the holder's PID when another process holds one. A data
   * dir that cannot hold a lock file (full, read-only) must not stop protection: the lock then goes
   * to the system temp dir, keyed by the data dir's path, and a warning says so.
   */
  static DataDirLock acquire(Path dir, Set<Role> roles) throws IOException {
    List<FileChannel> held = new ArrayList<>();
    List<Path> tempFiles = new ArrayList<>();
    try {
      for (Role role : roles) {
        String name = "panicmode-" + role.wire() + ".lock";
        Path file = dir.resolve(name);
        FileChannel ch;
        try {
          Files.createDirectories(dir);
          ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException unwritable) {
          Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "panicmode-locks");
          Files.createDirectories(fallback);
          file = fallback.resolve(Integer.toHexString(dir.toAbsolutePath().normalize().toString().hashCode()) + "-" + name);
          LOG.warn("data dir {} cannot hold {} ({}); locking {} instead", dir, name, unwritable.toString(), file);
          ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
          tempFiles.add(file);
        }
        FileLock lock;
        try {
          lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
          ch.close();
          throw new IllegalStateException("data dir " + dir + " is in use: role " + role.wire()
              + " is already run by PanicMode PID " + (holder.isEmpty() ? "unknown" : holder) + " (lock " + file
              + "); stop that instance or give this one another storage.incident_db directory");
        }
        held.add(ch);
        try {
          ch.truncate(0);
          ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
          ch.force(false);
        } catch (IOException full) {
          // The lock holds without the PID in it; a second instance then names the holder "unknown".
          LOG.warn("lock {} holds, but the PID could not be written: {}", file, full.toString());
        }
      }
    } catch (IOException | RuntimeException e) {
      for (FileChannel ch : held) ch.close();
      throw e;
    }
    return new DataDirLock(held, tempFiles);
  }

  /** Lock files taken in the temp dir because the data dir could not hold them. */
  List<Path> tempFiles() {
    return List.copyOf(tempFiles);
  }

  /**
   * Releases the locks. Lock files in the temp dir are deleted first, while still held, so a clean
   * stop leaves nothing in $TMPDIR; the data dir's own lock files stay, as they hold no state.
   */
  @Override
  public void close() throws IOException {
    for (Path file : tempFiles) {
      Files.deleteIfExists(file);
      try {
        Files.deleteIfExists(file.getParent());
      } catch (DirectoryNotEmptyException othersStillLocked) {
        // another instance's lock is still in there
      }
    }
    for (FileChannel ch : channels) ch.close();
  }
}
