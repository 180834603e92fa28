package io.panicmode.launcher;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A webhook receiver run as its own process inside a test namespace: {@code SinkMain PORT FILE}
 * appends each POST body, as one line, to FILE.
 */
public final class SinkMain {
  private SinkMain() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[1]);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 50);
    server.createContext("/hook", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).replace('\n', ' ');
      synchronized (SinkMain.class) {
        Files.writeString(out, body + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }
}
