package io.panicmode.api;

import static io.panicmode.api.ApiHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.Await;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slow and silent clients are cut off; the token can come from a file; no token disables mutation. */
class ApiLimitsTest {
  @TempDir Path dir;

  private ApiHarness withFileToken() throws Exception {
    Path tokenFile = dir.resolve("api.token");
    Files.writeString(tokenFile, "file-token-123456\n");
    return new ApiHarness(dir, "token_file: \"" + tokenFile + "\"\nrequest_timeout: 500ms\nidle_timeout: 60s");
  }

  private static Socket connect(ApiHarness h) throws Exception {
    Socket s = new Socket("127.0.0.1", Integer.parseInt(h.base.substring(h.base.lastIndexOf(':') + 1)));
    s.setSoTimeout(10_000);
    return s;
  }

  /** Reads until the server closes; returns what it sent. Fails if the server keeps the connection past the socket timeout. */
  private static String readToClose(Socket s) throws Exception {
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("connection still open after 10 s; got so far: " + sb);
    } catch (java.net.SocketException e) {
      // reset by the server: closed as well
    }
    return sb.toString();
  }

  @Test
  void clientThatNeverFinishesItsBodyGets503AndIsDisconnected() throws Exception {
    try (ApiHarness h = withFileToken(); Socket s = connect(h)) {
      long start = System.nanoTime();
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/v1/blocks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer file-token-123456\r\n"
          + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ip\"").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply = readToClose(s);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(reply.startsWith("HTTP/1.1 503"), reply);
      assertTrue(reply.contains("{\"error\":\"request timed out\"}"), reply);
      assertTrue(ms >= 400, "cut before the 500 ms request timeout, after " + ms + " ms");
    }
  }

  @Test
  void clientThatDribblesHeadersIsCutAtTheRequestTimeout() throws Exception {
    try (ApiHarness h = withFileToken(); Socket s = connect(h)) {
      long start = System.nanoTime();
      OutputStream out = s.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
      Thread dribbler = new Thread(() -> {
        try {
          for (int i = 0; i < 100; i++) {
            out.write('X');
            out.flush();
            Thread.sleep(100);
          }
        } catch (Exception closed) {
          // the server hung up, which is the point
        }
      });
      dribbler.start();
      String reply = readToClose(s);
      long ms = (System.nanoTime() - start) / 1_000_000;
      dribbler.interrupt();
      assertEquals("", reply);
      assertTrue(ms >= 400, "cut before the 500 ms request timeout, after " + ms + " ms");
    }
  }

  @Test
  void silentConnectionIsClosed() throws Exception {
    try (ApiHarness h = withFileToken(); Socket s = connect(h)) {
      // Closed well before the 60 s idle timeout: readToClose fails if the socket is still open after 10 s.
      assertEquals("", readToClose(s));
    }
  }

  @Test
  void tokenFromTokenFile() throws Exception {
    try (ApiHarness h = withFileToken()) {
      HttpResponse<String> r = h.send("POST", "/api/v1/processes/4242/thaw", null, "file-token-123456");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(403, h.send("POST", "/api/v1/processes/4242/thaw", null, ApiHarness.TOKEN).statusCode());
      // A normal client on a kept-alive connection is unaffected by the header deadline.
      for (int i = 0; i < 3; i++) {
        assertEquals(200, h.get("/health").statusCode());
        Thread.sleep(600);
      }
    }
  }

  @Test
  void withoutATokenMutatingRoutesAreRefusedButReadsWork() throws Exception {
    try (ApiHarness h = new ApiHarness(dir, "")) {
      HttpResponse<String> r = h.send("POST", "/api/v1/blocks", "{\"ip\":\"203.0.113.1\"}", "anything");
      assertEquals(403, r.statusCode());
      assertTrue(json(r).getString("error").contains("disabled"), r.body());
      assertEquals(200, h.get("/api/v1/blocks").statusCode());
      assertTrue(h.commands.isEmpty());
    }
  }

  @Test
  void disabledApiListensNowhere() throws Exception {
    io.panicmode.config.PanicConfig cfg = io.panicmode.config.ConfigLoader.parse("""
        node:
          id: web-1
        http_api:
          enabled: false
          bind: "127.0.0.1:%d"
        """.formatted(ApiHarness.freePort()), "test", java.util.Map.of());
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.panicmode.runtime.NodeContext ctx = io.panicmode.runtime.NodeContext.local(cfg);
      ApiVerticle api = new ApiVerticle(ctx);
      Await.result(vertx.deployVerticle(api));
      assertEquals(-1, api.actualPort());
      assertEquals("ok", ctx.status().snapshot().get("api"));
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void unreadableTokenFileFailsTheStart() throws Exception {
    Path missing = dir.resolve("nope.token");
    AssertionError none = null;
    try (ApiHarness h = new ApiHarness(dir, "token_file: \"" + missing + "\"")) {
      none = new AssertionError("started with a missing token file");
    } catch (IllegalStateException e) {
      assertTrue(e.getMessage().contains("token_file"), e.getMessage());
    }
    if (none != null) throw none;
  }
}
