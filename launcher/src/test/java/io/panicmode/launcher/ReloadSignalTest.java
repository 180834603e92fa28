package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A JVM started under {@code nohup} cannot handle SIGHUP; it must say so at start. The control
 * case (no nohup) shows the same probe does reload on SIGHUP.
 */
class ReloadSignalTest {
  private static String runProbe(List<String> wrapper) throws Exception {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        ReloadSignalProbe.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not exit: " + out);
      assertEquals(0, p.exitValue(), out);
      return out;
    } finally {
      if (p.isAlive()) p.destroyForcibly();
    }
  }

  @Test
  void underNohupTheStartLogSaysReloadBySignalWillNotWorkAndHowToReload() throws Exception {
    Assumptions.assumeTrue(Path.of("/usr/bin/nohup").toFile().canExecute(), "skipped: /usr/bin/nohup missing");
    String out = runProbe(List.of("/usr/bin/nohup"));
    assertTrue(out.contains("installed=false"), out);
    assertTrue(out.contains("WARN") && out.contains("SIGHUP is ignored") && out.contains("/api/v1/reload"), out);
  }

  @Test
  void withoutNohupSighupReloadsAndNothingIsWarned() throws Exception {
    String out = runProbe(List.of());
    assertTrue(out.contains("installed=true") && out.contains("reloaded=true"), out);
    assertFalse(out.contains("SIGHUP is ignored"), out);
  }
}
