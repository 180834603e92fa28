package io.panicmode.launcher;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook receiver on 127.0.0.1 that records every POST body. */
final class WebhookSink implements AutoCloseable {
  final List<String> bodies = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  WebhookSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext("/hook", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (ex.getRequestMethod().equals("POST")) bodies.add(new String(body, StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }

  String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"; }

  long count(String needle) { return bodies.stream().filter(b -> b.contains(needle)).count(); }

  @Override
  public void close() { server.stop(0); }
}
