package io.panicmode.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The API answers only for its own names: a page on {@code attacker.example} re-pointed at
 * 127.0.0.1 gets 421 on every route, the names an operator uses get through. Raw sockets, since
 * the JDK's HTTP client will not send a chosen Host header.
 */
class HostCheckTest {
  @TempDir static Path dir;
  static ApiHarness h;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    h = new ApiHarness(dir, "token: " + ApiHarness.TOKEN + "\nallowed_hosts: [\"panic.example.net\"]");
    port = Integer.parseInt(h.base.substring(h.base.lastIndexOf(':') + 1));
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  /** Status code of one request with the given Host header (null: none). */
  static int status(String method, String path, String host) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      String req = method + " " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
          + "Authorization: Bearer " + ApiHarness.TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
          + "Connection: close\r\n\r\n{}";
      out.write(req.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(head.substring(9, 12));
    }
  }

  @ParameterizedTest
  @CsvSource({"GET,/health", "GET,/metrics", "GET,/api/v1/incidents", "GET,/api/v1/blocks", "GET,/api/v1/agents",
      "GET,/api/v1/events", "GET,/api/v1/history", "GET,/", "GET,/no-such-page", "POST,/api/v1/blocks",
      "DELETE,/api/v1/blocks/203.0.113.9", "POST,/api/v1/processes/4242/thaw", "POST,/api/v1/reload"})
  void aForeignHostNameGets421OnEveryRoute(String method, String path) throws Exception {
    assertEquals(421, status(method, path, "attacker.example"));
    assertEquals(421, status(method, path, "attacker.example:" + port));
  }

  @Test
  void nothingReachesTheActionVerticleForAForeignHost() throws Exception {
    status("POST", "/api/v1/processes/4242/thaw", "attacker.example");
    assertFalse(h.commands.stream().anyMatch(c -> c.op().equals("thaw")));
  }

  @Test
  void aMissingHostHeaderIsRefused() throws Exception {
    // Vert.x itself answers 400 to an HTTP/1.1 request without Host, before our check runs.
    int code = status("GET", "/health", null);
    assertTrue(code == 400 || code == 421, "status " + code);
  }

  @Test
  void theBindAddressLocalhostAndAllowedNamesGetThrough() throws Exception {
    for (String host : List.of("127.0.0.1:" + port, "127.0.0.1", "localhost:" + port, "LOCALHOST", "panic.example.net",
        "Panic.Example.Net.:" + port)) {
      assertEquals(200, status("GET", "/health", host), host);
    }
  }

  @Test
  void ipLiteralsAndNamesAreToldApart() {
    assertTrue(HostCheck.isIpLiteral("192.0.2.10"));
    assertTrue(HostCheck.isIpLiteral("::1"));
    assertFalse(HostCheck.isIpLiteral("cafe.example"));
    assertFalse(HostCheck.isIpLiteral("beef"));
    assertEquals("::1", HostCheck.normalize("[::1]"));
    assertEquals("a.example", HostCheck.normalize("A.Example."));
  }
}
