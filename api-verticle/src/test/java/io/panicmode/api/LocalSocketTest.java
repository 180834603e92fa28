package io.panicmode.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.api.local.CtlSocketPath;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The api's routes on the local control socket: no token, the peer's credentials decide. curl
 * ({@code --unix-socket}) is the client, as an operator's script would use it; the unprivileged
 * peer is curl run as {@code nobody} through {@code setpriv}.
 */
class LocalSocketTest {
  @TempDir static Path dir;
  static ApiHarness h;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed: the socket is driven with curl --unix-socket");
    h = new ApiHarness(dir, "token: " + ApiHarness.TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
  }

  record Answer(int status, String body) {}

  static Answer curl(List<String> prefix, String method, String path, String body) throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of("/usr/bin/curl", "-s", "-m", "20", "-o", "-", "-w", "\n%{http_code}", "--unix-socket",
        h.socket.toString(), "-X", method, "http://localhost" + path));
    if (body != null) cmd.addAll(List.of("-H", "Content-Type: application/json", "--data", body));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
    int nl = out.lastIndexOf('\n');
    return new Answer(Integer.parseInt(out.substring(nl + 1).strip()), out.substring(0, nl));
  }

  @Test
  void theSocketIsOpenToLocalUsersAndServesReads() throws Exception {
    assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(h.socket)));
    Answer health = curl(List.of(), "GET", "/health", null);
    assertEquals(200, health.status, health.body);
    assertEquals("ok", new JsonObject(health.body).getString("status"));
  }

  @Test
  void theDaemonsOwnUserMayBlockAndUnblockWithoutAToken() throws Exception {
    Answer blocked = curl(List.of(), "POST", "/api/v1/blocks", "{\"ip\":\"203.0.113.7\"}");
    assertEquals(201, blocked.status, blocked.body);
    Answer listed = curl(List.of(), "GET", "/api/v1/blocks", null);
    assertTrue(listed.body.contains("203.0.113.7"), listed.body);
    Answer unblocked = curl(List.of(), "DELETE", "/api/v1/blocks/203.0.113.7", null);
    assertEquals(200, unblocked.status, unblocked.body);
  }

  @Test
  void anotherUserMayReadButNotChange() throws Exception {
    assumeTrue(CtlSocketPath.runningAsRoot(), "not root: cannot run a client as another user");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv is not installed");
    // Let nobody reach the socket inside the test's own directory.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> asNobody = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    Answer read = curl(asNobody, "GET", "/api/v1/blocks", null);
    assertEquals(200, read.status, read.body);
    Answer change = curl(asNobody, "POST", "/api/v1/blocks", "{\"ip\":\"203.0.113.8\"}");
    assertEquals(403, change.status, change.body);
    assertTrue(change.body.contains("may only read"), change.body);
    assertFalse(h.commands.stream().anyMatch(c -> c.ips().contains("203.0.113.8")), "the refused block reached the action verticle");
  }

  @Test
  void theHostHeaderDoesNotMatterOnTheSocket() throws Exception {
    List<String> cmd = List.of("/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: attacker.example",
        "--unix-socket", h.socket.toString(), "http://localhost/health");
    Process p = new ProcessBuilder(cmd).start();
    String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    // Only a local process can connect here, so there is no DNS rebinding to fend off.
    assertEquals("200", code);
  }
}
