package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProcessLaunchTest {
  @Test
  void linuxJdk17StartsProgramsWithVfork() {
    Properties p = new Properties();
    ProcessLaunch.preferVfork(p, "Linux", 17);
    assertEquals("VFORK", p.getProperty(ProcessLaunch.PROPERTY));
  }

  @Test
  void theOperatorsChoiceIsKept() {
    Properties p = new Properties();
    p.setProperty(ProcessLaunch.PROPERTY, "POSIX_SPAWN");
    ProcessLaunch.preferVfork(p, "Linux", 17);
    assertEquals("POSIX_SPAWN", p.getProperty(ProcessLaunch.PROPERTY));
  }

  @Test
  void laterJdksAndOtherSystemsKeepTheirDefault() {
    Properties later = new Properties();
    ProcessLaunch.preferVfork(later, "Linux", ProcessLaunch.LAST_VFORK_FEATURE + 1);
    assertNull(later.getProperty(ProcessLaunch.PROPERTY));
    Properties mac = new Properties();
    ProcessLaunch.preferVfork(mac, "Mac OS X", 17);
    assertNull(mac.getProperty(ProcessLaunch.PROPERTY));
  }

  @Test
  void aProgramStartedWithVforkRunsAndReportsItsExitCode() throws Exception {
    assumeTrue(Runtime.version().feature() <= ProcessLaunch.LAST_VFORK_FEATURE,
        "this JDK is not started with vfork by PanicMode");
    // A child JVM, so the mechanism is chosen before its first process start as Main does it.
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-D" + ProcessLaunch.PROPERTY + "=VFORK", "-cp",
        System.getProperty("java.class.path"), VforkProbe.class.getName()).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes());
    assertEquals(0, child.waitFor(), out);
    assertEquals("exit 3", out.trim());
  }

  /** Runs {@code sh -c 'exit 3'} and prints what it returned. */
  public static final class VforkProbe {
    public static void main(String[] args) throws Exception {
      System.out.println("exit " + new ProcessBuilder("sh", "-c", "exit 3").start().waitFor());
    }
  }
}
