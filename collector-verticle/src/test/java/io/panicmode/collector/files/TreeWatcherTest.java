package io.panicmode.collector.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real inotify watches on a temp tree. */
class TreeWatcherTest {
  @TempDir Path dir;
  final AtomicLong now = new AtomicLong(1_000_000);
  final LongAdder dropped = new LongAdder();
  final LongAdder skipped = new LongAdder();

  @Test
  void recursiveWatchSeesNewSubdirectoriesAndTheWindowSlides() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc/ssh"));
    try (TreeWatcher w = new TreeWatcher(List.of(dir.resolve("etc").toString()), 1000, 60_000, now::get, dropped, skipped)) {
      String key = dir.resolve("etc").toString();
      Files.writeString(etc.resolve("sshd_config"), "x");
      Await.until("event in existing subdirectory", () -> w.snapshot().counts().get(key) >= 1);
      Path deep = Files.createDirectories(dir.resolve("etc/new/deeper")).toRealPath();
      Await.until("a watch on the directory created after start", () -> w.watches(deep));
      int before = w.snapshot().counts().get(key);
      Files.writeString(deep.resolve("f"), "y");
      Await.until("event in a directory created after start", () -> w.snapshot().counts().get(key) > before);
      now.addAndGet(61_000);
      assertEquals(0, w.snapshot().counts().get(key), "events older than the window are gone");
    }
  }

  @Test
  void aSingleFileIsWatchedThroughItsParentFilteredToItsName() throws Exception {
    Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0");
    try (TreeWatcher w = new TreeWatcher(List.of(passwd.toString()), 1000, 60_000, now::get, dropped, skipped)) {
      // Noise in the same directory first: its events come before the file's, so once the file's
      // event is counted, any noise that leaked through would be counted too.
      for (int i = 0; i < 5; i++) Files.writeString(dir.resolve("other"), "noise " + i);
      Files.writeString(passwd, "root:x:0:0\nevil:x:0:0");
      Await.until("event on the file", () -> w.snapshot().counts().get(passwd.toString()) >= 1);
      assertTrue(w.snapshot().counts().get(passwd.toString()) <= 2, "only the file's own events (a rewrite is one or two)");
    }
  }

  @Test
  void missingPathIsReportedThenWatchedWhenItAppears() throws Exception {
    Path later = dir.resolve("later");
    try (TreeWatcher w = new TreeWatcher(List.of(later.toString()), 1000, 60_000, now::get, dropped, skipped)) {
      assertEquals(List.of(later.toString()), w.snapshot().missing());
      Files.createDirectory(later);
      TreeWatcher.Snapshot s = w.snapshot();
      assertEquals(List.of(), s.missing());
      assertEquals(1, s.counts().get(later.toString()), "its appearance is a change");
      Files.writeString(later.resolve("f"), "x");
      Await.until("event inside the new directory", () -> w.snapshot().counts().get(later.toString()) >= 2);
    }
  }

  @Test
  void eventsBeyondTheCapAreDroppedAndCounted() throws Exception {
    try (TreeWatcher w = new TreeWatcher(List.of(dir.toString()), 5, 60_000, now::get, dropped, skipped)) {
      for (int i = 0; i < 20; i++) Files.writeString(dir.resolve("f" + i), "x");
      Await.until("drops", () -> dropped.sum() > 0);
      assertEquals(5, w.snapshot().counts().get(dir.toString()));
      assertTrue(dropped.sum() >= 1);
    }
  }
}
