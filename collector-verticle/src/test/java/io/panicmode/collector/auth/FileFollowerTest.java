package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.panicmode.contracts.AuthEvent;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.testing.Await;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a real file through appends, partial lines, rename rotation, copytruncate and late appearance. */
class FileFollowerTest {
  @TempDir Path dir;
  final MetricsRegistry metrics = new MetricsRegistry();
  final List<AuthEvent> events = new CopyOnWriteArrayList<>();
  final AuthPipeline pipeline = new AuthPipeline("web1", SshdLineParser.forYear(ZoneOffset.UTC, 2026), AuthMode.NORMAL, events::add,
      () -> 0L, metrics);

  static String line(int i) { return "Nov 27 16:29:43 web1 sshd[" + i + "]: Invalid user u" + i + " from 203.0.113." + i + " port " + i + "\n"; }

  static void append(Path p, String s) throws IOException {
    Files.writeString(p, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  List<String> users() { return events.stream().map(AuthEvent::user).toList(); }

  @Test
  void existingFileIsFollowedFromItsEndAndPartialLinesWait() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, line(1));
    FileFollower f = new FileFollower(log, 4096, pipeline, r -> { });
    f.openAtStart();
    f.check();
    assertEquals(List.of(), users(), "history is not replayed");
    String l2 = line(2);
    append(log, l2.substring(0, 30));
    f.check();
    assertEquals(List.of(), users(), "half a line is not parsed");
    append(log, l2.substring(30) + line(3));
    f.check();
    assertEquals(List.of("u2", "u3"), users());
    f.close();
  }

  @Test
  void renameRotationReadsTheOldFileToItsEndThenTheNewOneFromZero() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, "");
    FileFollower f = new FileFollower(log, 4096, pipeline, r -> { });
    f.openAtStart();
    append(log, line(1));
    // logrotate renames; sshd's syslog still writes to the old inode until it reopens.
    Files.move(log, dir.resolve("auth.log.1"));
    append(dir.resolve("auth.log.1"), line(2));
    f.check();
    append(log, line(3));
    f.check();
    append(log, line(4));
    f.check();
    assertEquals(List.of("u1", "u2", "u3", "u4"), users());
    f.close();
  }

  @Test
  void renameSeenLateStillLosesNothing() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, "");
    FileFollower f = new FileFollower(log, 4096, pipeline, r -> { });
    f.openAtStart();
    append(log, line(1));
    Files.move(log, dir.resolve("auth.log.1"));
    append(dir.resolve("auth.log.1"), line(2));
    append(log, line(3));
    f.check();
    assertEquals(List.of("u1", "u2", "u3"), users());
    f.close();
  }

  @Test
  void copytruncateRestartsAtZero() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, "");
    FileFollower f = new FileFollower(log, 4096, pipeline, r -> { });
    f.openAtStart();
    append(log, line(1) + line(2));
    f.check();
    Files.copy(log, dir.resolve("auth.log.1"));
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
    append(log, line(3));
    f.check();
    assertEquals(List.of("u1", "u2", "u3"), users());
    f.close();
  }

  @Test
  void fileAppearingLaterIsReadFromItsBeginning() throws Exception {
    Path log = dir.resolve("secure");
    FileFollower f = new FileFollower(log, 4096, pipeline, r -> { });
    f.openAtStart();
    f.check();
    append(log, line(1) + line(2));
    f.check();
    assertEquals(List.of("u1", "u2"), users());
    Files.delete(log);
    f.check();
    append(log, line(3));
    f.check();
    assertEquals(List.of("u1", "u2", "u3"), users());
    f.close();
  }

  @Test
  void linesOverTheCapAreDroppedAndCountedWithoutBufferingThem() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, "");
    FileFollower f = new FileFollower(log, 4096, pipeline, r -> { });
    f.openAtStart();
    String huge = "Nov 27 16:29:43 web1 sshd[9]: Invalid user " + "A".repeat(1 << 20) + " from 203.0.113.9 port 9\n";
    append(log, line(1) + huge + line(2));
    f.check();
    assertEquals(List.of("u1", "u2"), users());
    assertEquals(1, metrics.counterValue("panicmode_collector_auth_lines_too_long_total"));
    f.close();
  }

  @Test
  void runningFollowerIsWokenByInotifyNotByItsRecheck() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, "");
    // A re-check once an hour: only the inotify watch (registered before start returns) can
    // deliver the line while the test waits. How fast is bench/collector.sh's business.
    FileFollower f = new FileFollower(log, 4096, pipeline, r -> { }, 3_600_000);
    f.start();
    try {
      append(log, line(7));
      Await.until("the appended line", () -> !events.isEmpty());
      assertEquals(List.of("u7"), users());
    } finally {
      f.close();
    }
  }
}
