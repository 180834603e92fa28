package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.net.StrictIp;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.panicmode.testing.FixtureText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block script, a fake that records its argv, sees exactly one argument per IP, always the
 * canonical form, for every input of the shared hostile-input fixture (net/strict-ip-cases.txt
 * from the contracts test jar): rejected inputs and never-blocked addresses run nothing.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileIpScriptTest {
  @TempDir static Path dir;
  Path log;
  Vertx vertx;

  record Case(String input, String expected) {}

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    log = dir.resolve("argv.log");
    Path block = TestSupport.recordingScript(dir, "block.sh", log, 0);
    Path unblock = TestSupport.recordingScript(dir, "unblock.sh", dir.resolve("unblock.log"), 0);
    var cfg = TestSupport.config(dir, "firewall:\n  backend: script\n  block_script: " + block + "\n  unblock_script: " + unblock
        + "\n  whitelist: [\"203.0.113.10\", \"198.51.100.128/25\"]\n");
    TestSupport.deploy(vertx, new ActionVerticle(TestSupport.local(cfg)));
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static List<Case> fixture() throws IOException {
    List<Case> out = new ArrayList<>();
    try (InputStream in = HostileIpScriptTest.class.getResourceAsStream("/net/strict-ip-cases.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        if (line.isEmpty() || line.startsWith("#")) continue;
        int tab = line.lastIndexOf('\t');
        out.add(new Case(FixtureText.unescape(line.substring(0, tab)), line.substring(tab + 1)));
      }
    }
    return out;
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void everyFixtureInputRunsTheScriptOnlyWithItsCanonicalForm() throws Exception {
    List<Case> cases = fixture();
    assertTrue(cases.stream().filter(c -> c.expected().equals("REJECT")).count() >= 30, "fixture needs >= 30 hostile inputs");
    for (Case c : cases) {
      int before = TestSupport.lines(log).size();
      ActionResult r = TestSupport.send(vertx, TestSupport.block(c.input()));
      List<String> after = TestSupport.lines(log);
      String what = "input \"" + c.input() + "\" -> " + r.status() + " " + r.reason();
      if (c.expected().equals("REJECT")) {
        assertEquals(ActionResult.Status.FAILED, r.status(), what);
        assertEquals(before, after.size(), "script ran for rejected " + what);
        int unblocks = TestSupport.lines(dir.resolve("unblock.log")).size();
        ActionResult u = TestSupport.send(vertx, TestSupport.command("unblock_ip", List.of(c.input()), List.of(), ""));
        assertEquals(ActionResult.Status.FAILED, u.status(), "unblock_ip " + what);
        assertEquals(unblocks, TestSupport.lines(dir.resolve("unblock.log")).size(), "unblock script ran for " + what);
      } else if (StrictIp.isNeverBlock(c.expected())) {
        assertEquals(ActionResult.Status.SKIPPED, r.status(), what);
        assertEquals(before, after.size(), "script ran for never-blocked " + what);
      } else {
        assertEquals(ActionResult.Status.DONE, r.status(), what);
        assertEquals(List.of(c.expected()), r.affected(), what);
        assertEquals(before + 1, after.size(), what);
        assertEquals("1 [" + c.expected() + "]", after.get(after.size() - 1), what);
      }
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void mixedCommandBlocksOnlyTheValidPublicAddressesEachAsOneArgument() throws Exception {
    int before = TestSupport.lines(log).size();
    ActionResult r = TestSupport.send(vertx, TestSupport.block("1.2.3.4;id", "203.0.113.5", "::ffff:192.0.2.7",
        "10.0.0.1", "::ffff:10.0.0.1", "203.0.113.10", "::ffff:198.51.100.200", "$(reboot)", "-j ACCEPT",
        "1.2.3.4 drop; delete table inet x"));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(List.of("203.0.113.5", "192.0.2.7"), r.affected());
    List<String> after = TestSupport.lines(log);
    assertEquals(2, after.size() - before, String.valueOf(after));
    assertEquals(java.util.Set.of("1 [203.0.113.5]", "1 [192.0.2.7]"), java.util.Set.copyOf(after.subList(before, after.size())));
    assertTrue(r.reason().contains("in firewall.whitelist"), r.reason());
    assertTrue(r.reason().contains("invalid IPs rejected"), r.reason());
  }
}
