package io.panicmode.action.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script backend starts a ban's script without waiting; awaiting it reports as block() does. */
class ScriptStartTest {
  @TempDir Path dir;

  Path script(String name, String body) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  @Test
  void startedScriptsRunWithTheIpAsTheirOnlyArgument() throws Exception {
    Path out = dir.resolve("banned");
    Path block = script("block.sh", "echo \"$#:$1\" >> " + out);
    ScriptFirewall fw = new ScriptFirewall(block.toString(), block.toString(), null, Duration.ofSeconds(10), 4);
    Firewall.Started started = fw.startBlock(List.of("192.0.2.1", "192.0.2.2"));
    assertNotNull(started);
    started.await();
    assertEquals(List.of("1:192.0.2.1", "1:192.0.2.2"), Files.readAllLines(out).stream().sorted().toList());
  }

  @Test
  void aFailingScriptFailsTheAwaitForItsIpOnly() throws Exception {
    Path block = script("block.sh", "[ \"$1\" = 192.0.2.2 ] && exit 3; exit 0");
    ScriptFirewall fw = new ScriptFirewall(block.toString(), block.toString(), null, Duration.ofSeconds(10), 4);
    Firewall.Started started = fw.startBlock(List.of("192.0.2.1", "192.0.2.2"));
    FirewallException e = assertThrows(FirewallException.class, started::await);
    assertEquals(List.of("192.0.2.2"), e.failedIps());
    assertEquals(true, e.retryable());
  }

  @Test
  void largeBatchesAndMissingScriptsAreLeftToBlock() throws Exception {
    Path block = script("block.sh", "exit 0");
    ScriptFirewall fw = new ScriptFirewall(block.toString(), block.toString(), null, Duration.ofSeconds(10), 4);
    List<String> many = List.of("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5");
    assertNull(fw.startBlock(many));
    ScriptFirewall missing = new ScriptFirewall(dir.resolve("none.sh").toString(), block.toString(), null,
        Duration.ofSeconds(10), 4);
    assertNull(missing.startBlock(List.of("192.0.2.1")));
    assertThrows(FirewallException.class, () -> missing.block(List.of(new Ban("192.0.2.1", null)), 0));
  }
}
