package io.panicmode.api.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.api.ApiHarnessAccess;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.testing.Await;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code panicmode ctl} end to end: storage, api and a stand-in action verticle in one Vert.x, the
 * command run as an operator would with the config file: over the local control socket the
 * config names (no token involved), and over HTTP with the token when {@code PANICMODE_API_URL}
 * asks for it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CtlCommandTest {
  @TempDir static Path dir;
  static ApiHarnessAccess h;
  static Path config;
  /** When the fixtures were stamped: the incident fired 5 minutes before. */
  static long setUpAt;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    h = ApiHarnessAccess.start(dir);
    config = dir.resolve("panicmode.yaml");
    Files.writeString(config, """
        node:
          id: web-1
        firewall:
          ctl_socket: "%s"
        http_api:
          enabled: true
          bind: "0.0.0.0:%d"
        """.formatted(h.socket(), h.port()));
    long now = System.currentTimeMillis();
    setUpAt = now;
    Await.result(h.vertx().eventBus().request(Addresses.STORAGE, StorageWrite.incident(new Incident("c-1", "web-1", "ssh_brute_force",
        "auth_failures", Severity.CRITICAL, Incident.State.FIRING, "ssh_brute_force exceeded threshold: 31 > 20\u001b[31m", "",
        31, 20, Subjects.ofIps(List.of("203.0.113.50")), List.of("block_ip"), now - 300_000, null)).toJson()));
    h.vertx().eventBus().publish(Addresses.HEARTBEAT, new Heartbeat("web-1", "n1", Map.of("collector", "ok"), "test-1.0", now, 60,
        Map.of("cpu_usage", 12.0, "memory_usage", 40.0)).toJson());
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  static Run ctl(Map<String, String> env, String... args) {
    return ctlAt(java.time.Clock.systemUTC(), env, args);
  }

  static Run ctlAt(java.time.Clock clock, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CtlCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), clock);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Run ctl(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return ctl(Map.of(), all);
  }

  @Test
  @Order(1)
  void emptyListSaysSo() {
    Run r = ctl("list");
    assertEquals(0, r.code(), r.err());
    assertEquals("No active blocks.\n", r.out());
  }

  @Test
  @Order(2)
  void blockListUnblock() {
    Run b = ctl("block", "203.0.113.10", "--for", "1h", "--reason", "scanning us");
    assertEquals(0, b.code(), b.err());
    assertTrue(b.out().startsWith("Blocked 203.0.113.10 on web-1 until "), b.out());

    Run list = ctl("list");
    assertEquals(0, list.code(), list.err());
    String[] lines = list.out().split("\n");
    assertEquals(2, lines.length, list.out());
    assertTrue(lines[0].matches("IP\\s+Blocked At\\s+Reason\\s+Host\\s+Expires\\s+Count"), lines[0]);
    assertTrue(lines[1].matches("203\\.0\\.113\\.10\\s+\\d+s ago\\s+scanning us\\s+web-1\\s+in (59m|1h)\\s+1"), lines[1]);

    Run json = ctl("--json", "list");
    assertEquals("203.0.113.10", new JsonObject(json.out()).getJsonArray("items").getJsonObject(0).getString("ip"));

    Run u = ctl("unblock", "203.0.113.10");
    assertEquals(0, u.code(), u.err());
    assertEquals("Unblocked 203.0.113.10 on web-1.\n", u.out());
    assertEquals("No active blocks.\n", ctl("list").out());
    Run history = ctl("list", "--all");
    assertTrue(history.out().contains("lifted"), history.out());
  }

  @Test
  @Order(3)
  void incidentsAgentsStatusThaw() {
    Run inc = ctl("incidents", "--since", "1h");
    assertEquals(0, inc.code(), inc.err());
    assertTrue(inc.out().startsWith("Fired"), inc.out());
    assertTrue(inc.out().matches("(?s).*\\b[56]m ago.*"), inc.out()); // fired 5 minutes before set-up
    // Relative times come from ctl's clock, not the wall clock: two hours after set-up it says so.
    Run later = ctlAt(java.time.Clock.fixed(java.time.Instant.ofEpochMilli(setUpAt + 7_200_000L), java.time.ZoneOffset.UTC),
        Map.of(), "--config", config.toString(), "incidents");
    assertTrue(later.out().matches("(?s).*\\b2h ago\\s+critical  web-1  ssh_brute_force.*"), later.out() + later.err());
    assertTrue(inc.out().contains("critical  web-1  ssh_brute_force  firing"), inc.out());
    assertTrue(!inc.out().contains("\u001b"), "escape sequence reached the terminal");
    assertEquals("No incidents.\n", ctl("incidents", "--host", "db-9").out());

    Run agents = ctl("agents");
    assertEquals(0, agents.code(), agents.err());
    assertTrue(agents.out().lines().anyMatch(l -> l.matches("web-1\\s+\\d+s ago\\s+ok\\s+collector\\s+12\\.0\\s+40\\.0\\s+test-1\\.0")),
        agents.out());

    Run status = ctl("status");
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().contains("Status:  ok"), status.out());
    assertTrue(status.out().lines().anyMatch(l -> l.matches("storage\\s+ok")), status.out());
    assertEquals("ok", new JsonObject(ctl("status", "--json").out()).getString("status"));

    Run thaw = ctl("thaw", "4242");
    assertEquals(0, thaw.code(), thaw.err());
    assertEquals("Thawed pid 4242 on web-1.\n", thaw.out());
  }

  @Test
  @Order(4)
  void errorsGoToStderrWithExitOne() {
    Run refused = ctl("block", "203.0.113.66");
    assertEquals(1, refused.code());
    assertEquals("", refused.out());
    assertTrue(refused.err().startsWith("Error: block_ip skipped: whitelisted"), refused.err());

    Run badIp = ctl("unblock", "010.0.0.1");
    assertEquals(1, badIp.code());
    assertTrue(badIp.err().startsWith("Error: ip: not a plain IPv4 or IPv6 address"), badIp.err());

    Map<String, String> noToken = new HashMap<>();
    noToken.put("PANICMODE_API_URL", "http://127.0.0.1:" + h.port());
    Run unauth = ctl(noToken, "unblock", "203.0.113.10");
    assertEquals(1, unauth.code());
    assertTrue(unauth.err().startsWith("Error: missing bearer token"), unauth.err());

    noToken.put("PANICMODE_API_TOKEN", "wrong");
    assertTrue(ctl(noToken, "block", "203.0.113.10").err().startsWith("Error: invalid token"));
    noToken.put("PANICMODE_API_TOKEN", h.token());
    assertEquals(0, ctl(noToken, "thaw", "4242").code());

    Run down = ctl(Map.of("PANICMODE_API_URL", "http://127.0.0.1:1"), "list");
    assertEquals(1, down.code());
    assertTrue(down.err().startsWith("Error: cannot reach the PanicMode API at http://127.0.0.1:1"), down.err());

    for (String[] args : new String[][] {{"frobnicate"}, {}, {"block"}, {"list", "--for", "1h"}, {"thaw", "-3"},
        {"thaw", "abc"}, {"block", "203.0.113.1", "--for", "soon"}, {"--bogus", "list"}}) {
      Run r = ctl(args);
      assertEquals(1, r.code(), String.join(" ", args));
      assertTrue(r.err().startsWith("Error: "), r.err());
    }
    Run missing = ctl(Map.of(), "--config", dir.resolve("missing.yaml").toString(), "list");
    assertEquals(1, missing.code());
    assertTrue(missing.err().startsWith("Error: "), missing.err());
  }

  @Test
  @Order(5)
  void theSocketIsUsedWhenThereAndHttpWhenItIsNot() throws Exception {
    // The config above has no token: changes over the socket need none.
    Run viaSocket = ctl("block", "203.0.113.11");
    assertEquals(0, viaSocket.code(), viaSocket.err());
    assertEquals(0, ctl("unblock", "203.0.113.11").code());

    Path noSocket = Files.writeString(dir.resolve("no-socket.yaml"), """
        firewall:
          ctl_socket: "%s"
        http_api:
          bind: "127.0.0.1:%d"
        """.formatted(dir.resolve("absent.sock"), h.port()));
    Run viaHttp = ctl(Map.of(), "--config", noSocket.toString(), "block", "203.0.113.12");
    assertEquals(1, viaHttp.code());
    assertTrue(viaHttp.err().startsWith("Error: missing bearer token"), viaHttp.err());
    assertEquals(0, ctl(Map.of(), "--config", noSocket.toString(), "list").code());

    Run envSocket = ctl(Map.of("PANICMODE_CTL_SOCKET", h.socket().toString()), "--config", noSocket.toString(),
        "block", "203.0.113.13");
    assertEquals(0, envSocket.code(), "PANICMODE_CTL_SOCKET overrides the config: " + envSocket.err());
  }

  @Test
  void helpGoesToStdout() {
    Run r = ctl(Map.of(), "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("Usage: panicmode ctl"));
  }
}
