package io.panicmode.alert;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 standing in for Telegram, Discord, ntfy, Twilio or a webhook.
 * Records every request; answers from a script of replies (then the default reply).
 */
final class FakeHttp implements AutoCloseable {
  record Req(String method, String path, MultiMap headers, String body, long atNanos) {
    String header(String name) { return headers.get(name); }
  }

  /** A scripted answer: status, headers, body; {@code hang} never answers. */
  record Reply(int status, Map<String, String> headers, String body, boolean hang) {
    static Reply status(int s) { return new Reply(s, Map.of(), "", false); }
    static Reply json(int s, String body) { return new Reply(s, Map.of("Content-Type", "application/json"), body, false); }
    static Reply withHeader(int s, String name, String value) { return new Reply(s, Map.of(name, value), "", false); }
    static Reply hanging() { return new Reply(0, Map.of(), "", true); }
  }

  final BlockingQueue<Req> requests = new LinkedBlockingQueue<>();
  final List<Req> all = java.util.Collections.synchronizedList(new ArrayList<>());
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private volatile Function<Req, Reply> fallback = r -> Reply.json(200, "{\"ok\":true}");
  private final HttpServer server;

  private FakeHttp(HttpServer server) { this.server = server; }

  static FakeHttp start(Vertx vertx) throws Exception {
    HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    FakeHttp f = new FakeHttp(s);
    s.requestHandler(f::handle);
    s.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return f;
  }

  private void handle(HttpServerRequest r) {
    r.body().onSuccess((Buffer b) -> {
      Req req = new Req(r.method().name(), r.uri(), MultiMap.caseInsensitiveMultiMap().addAll(r.headers()), b.toString(),
          System.nanoTime());
      Reply reply = script.poll();
      if (reply == null) reply = fallback.apply(req);
      all.add(req);
      requests.add(req);
      if (reply.hang()) return;
      r.response().setStatusCode(reply.status());
      reply.headers().forEach(r.response()::putHeader);
      r.response().end(reply.body());
    });
  }

  FakeHttp then(Reply... replies) {
    for (Reply r : replies) script.add(r);
    return this;
  }

  FakeHttp otherwise(Function<Req, Reply> f) {
    this.fallback = f;
    return this;
  }

  int port() { return server.actualPort(); }

  String base() { return "http://127.0.0.1:" + port(); }

  Req next() throws InterruptedException { return next(10); }

  Req next(int seconds) throws InterruptedException {
    Req r = requests.poll(seconds, TimeUnit.SECONDS);
    if (r == null) throw new AssertionError("no request reached the fake server within " + seconds + " s");
    return r;
  }

  /** Asserts nothing more arrives within {@code ms}. */
  void expectNothing(long ms) throws InterruptedException {
    Req r = requests.poll(ms, TimeUnit.MILLISECONDS);
    if (r != null) throw new AssertionError("unexpected request " + r.method() + " " + r.path());
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
