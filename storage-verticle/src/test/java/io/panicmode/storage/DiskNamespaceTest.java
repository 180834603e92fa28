package io.panicmode.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only directory, for real: a tmpfs mounted in a private mount namespace
 * ({@code unshare -m}) that only the forked {@link DiskScenario} JVM sees. Needs root.
 */
class DiskNamespaceTest {
  @TempDir Path dir;

  private static boolean canUseMountNamespaces() {
    try {
      Process p = new ProcessBuilder("id", "-u").start();
      String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return p.waitFor() == 0 && uid.equals("0") && Files.isExecutable(Path.of("/usr/bin/unshare"));
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private Map<String, String> runScenario(String mode, String mountOptions) throws Exception {
    Assumptions.assumeTrue(canUseMountNamespaces(), "skipped: needs root and unshare(1) to mount a tmpfs in a private mount namespace");
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String script = "mount --make-rprivate / && mount -t tmpfs -o " + mountOptions + " tmpfs \"$0\" && "
        + "exec \"$1\" -Xmx128m -cp \"$2\" io.panicmode.storage.DiskScenario \"$3\" \"$0\"";
    Process p = new ProcessBuilder(List.of("unshare", "-m", "sh", "-c", script, mnt.toString(), java,
        System.getProperty("java.class.path"), mode)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "scenario hung");
    assertEquals(0, p.exitValue(), out);
    Map<String, String> kv = new HashMap<>();
    for (String line : out.split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0 && line.substring(0, sp).matches("[A-Z_]+")) kv.put(line.substring(0, sp), line.substring(sp + 1));
    }
    kv.put("OUTPUT", out);
    return kv;
  }

  @Test
  void fullDiskDegradesHoldsWritesAndLosesNothing() throws Exception {
    Map<String, String> r = runScenario("full", "size=2m");
    String out = r.get("OUTPUT");
    assertEquals("ok", r.get("STATUS_START"), out);
    assertTrue(Integer.parseInt(r.get("ACKED_BEFORE_FULL")) > 0, out);
    assertEquals("degraded", r.get("STATUS_BROKEN"), out);
    assertTrue(r.get("REASON").contains("SQLITE_FULL") || r.get("REASON").toLowerCase().contains("full"), out);
    assertEquals("0", r.get("ACKED_WHILE_BROKEN"), out);
    assertEquals("0", r.get("REMOUNT"), out);
    assertEquals(r.get("SENT"), r.get("ACKED"), out);
    assertEquals(r.get("ACKED"), r.get("ROWS"), out);
    assertEquals("true", r.get("ACKED_IDS_STORED"), out);
    assertEquals("ok", r.get("STATUS_END"), out);
    assertEquals("firing,resolved", r.get("ALERTS"), out);
  }

  @Test
  void readOnlyDirectoryDegradesUntilWritable() throws Exception {
    Map<String, String> r = runScenario("readonly", "ro,size=4m");
    String out = r.get("OUTPUT");
    assertEquals("degraded", r.get("STATUS_START"), out);
    assertEquals("0", r.get("ACKED_WHILE_BROKEN"), out);
    assertEquals("0", r.get("REMOUNT"), out);
    assertEquals("5", r.get("ACKED"), out);
    assertEquals("5", r.get("ROWS"), out);
    assertEquals("ok", r.get("STATUS_END"), out);
    assertEquals("firing,resolved", r.get("ALERTS"), out);
  }
}
