package io.panicmode.action.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which processes freezing and killing must never touch, and why. */
class ProtectionTest {
  @ParameterizedTest
  @CsvSource({"sshd,true", "systemd,true", "systemd-journal,true", "dbus-daemon,true", "agetty,true", "getty,true",
      "init,true", "kthreadd,true", "panicmode,true", "sshd-session,true", "nginx,false", "ssh,false", "java,false",
      "xsshd,false", "initd,false"})
  void protectedNames(String name, boolean spared) {
    ProcInfo p = new ProcInfo(4000, 3000, 1, name, 'R', 0, 0, false, 0, "");
    assertEquals(spared, new Protection(1).why(p).isPresent(), name);
  }

  @Test
  void protectionRules() {
    Protection prot = new Protection(500);
    assertTrue(prot.why(new ProcInfo(1, 0, 1, "anything", 'S', 0, 0, false, 0, "")).isPresent(), "pid 1");
    assertTrue(prot.why(new ProcInfo(600, 500, 1, "block.sh", 'S', 0, 0, false, 0, "")).isPresent(), "our child");
    assertTrue(prot.why(new ProcInfo(700, 2, 1, "kworker/0:1", 'I', 0, 0, true, 0, "")).isPresent(), "kernel thread");
    assertTrue(prot.why(new ProcInfo(800, 1, 1, "postgres", 'S', 0, 0, false, -1000, "")).isPresent(), "oom -1000");
    assertFalse(prot.why(new ProcInfo(900, 1, 1, "postgres", 'S', 0, 0, false, -999, "")).isPresent());
  }
}
