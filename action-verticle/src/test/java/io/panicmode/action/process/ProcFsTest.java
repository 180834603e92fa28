package io.panicmode.action.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** /proc parsing: hostile process names, kernel threads told by their flags, and this JVM read from the real /proc. */
class ProcFsTest {
  private static String fixture(String name) throws Exception {
    return Files.readString(Path.of(ProcFsTest.class.getResource("/proc/" + name).toURI()));
  }

  @Test
  void statParsingSurvivesHostileProcessNames() throws Exception {
    ProcFs.Stat s = ProcFs.parseStat(fixture("stat-weird-name.txt")).orElseThrow();
    assertEquals("weird ) (name", s.comm());
    assertEquals('S', s.state());
    assertEquals(1, s.ppid());
    assertEquals(1234 + 567, s.utime() + s.stime());
    assertEquals(987654, s.startTime());
    ProcFs.Stat k = ProcFs.parseStat(fixture("stat-kthreadd.txt")).orElseThrow();
    assertTrue((k.flags() & 0x00200000L) != 0, "kthreadd carries PF_KTHREAD");
    assertEquals(Optional.empty(), ProcFs.parseStat("123 (no closing paren S 1 2 3"));
    assertEquals(Optional.empty(), ProcFs.parseStat("123 (x) S 1"));
    assertEquals(Optional.empty(), ProcFs.parseStat(""));
  }

  /**
   * Kernel threads are told by PF_KTHREAD in /proc/PID/stat, not by ancestry: in a container
   * with its own PID namespace, PID 2 and its children are ordinary processes.
   */
  @ParameterizedTest(name = "{0} pid {1}: kernel thread {2}")
  @CsvSource({"tree-container, 2, false", "tree-container, 30, false", "tree-host, 2, true", "tree-host, 57, true"})
  void kernelThreadsByTheirFlags(String tree, int pid, boolean kernelThread) throws Exception {
    ProcFs fs = new ProcFs(Path.of(ProcFsTest.class.getResource("/proc/" + tree).toURI()));
    assertEquals(kernelThread, fs.read(pid).orElseThrow().kernelThread());
  }

  @Test
  void ownProcessTreeFromRealProc() {
    ProcFs fs = new ProcFs(Path.of("/proc"));
    ProcInfo me = fs.read((int) ProcessHandle.current().pid()).orElseThrow();
    assertTrue(me.startTime() > 0);
    assertTrue(fs.list().stream().anyMatch(p -> p.pid() == me.pid()));
    assertTrue(new Protection(me.pid()).why(me).isPresent(), "PanicMode's own process must be protected");
  }
}
