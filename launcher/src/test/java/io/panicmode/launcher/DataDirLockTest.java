package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The temp-dir fallback lock of a data dir that cannot hold one is gone after a clean stop. */
class DataDirLockTest {
  @Test
  void fallbackLockFileIsRemovedOnClose(@TempDir Path dir) throws Exception {
    // A data dir below a regular file can never be created: the lock must go to the temp dir.
    Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
    Path dataDir = blocker.resolve("data");
    List<Path> fallback;
    try (DataDirLock lock = DataDirLock.acquire(dataDir, EnumSet.of(Role.ACTION, Role.STORAGE))) {
      fallback = lock.tempFiles();
      assertEquals(2, fallback.size(), "one fallback lock per role");
      for (Path f : fallback) {
        assertTrue(Files.exists(f), f + " should exist while locked");
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(f));
      }
    }
    for (Path f : fallback) assertFalse(Files.exists(f), f + " left behind after close");
  }

  @Test
  void dataDirLockFilesAreNotTempFiles(@TempDir Path dir) throws Exception {
    try (DataDirLock lock = DataDirLock.acquire(dir, EnumSet.of(Role.ACTION))) {
      assertTrue(lock.tempFiles().isEmpty());
      assertTrue(Files.exists(dir.resolve("panicmode-action.lock")));
    }
  }
}
