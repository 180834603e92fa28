package io.panicmode.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Bounds the time a client may take to send a request's headers. The idle timeout alone cannot stop
 * a client that dribbles one header byte at a time, and the route-level timeout only starts once
 * headers are complete. A new connection must deliver its first request's headers within the
 * request timeout; between requests of a kept-alive connection the idle timeout applies as the
 * whole budget for the next request's headers. Event-loop confined (one server per verticle).
 */
final class RequestDeadline {
  private final Vertx vertx;
  private final long firstRequestMs;
  private final long nextRequestMs;
  private final Map<HttpConnection, Long> timers = new IdentityHashMap<>();

  RequestDeadline(Vertx vertx, long firstRequestMs, long nextRequestMs) {
    this.vertx = vertx;
    this.firstRequestMs = firstRequestMs;
    this.nextRequestMs = nextRequestMs;
  }

  void opened(HttpConnection conn) {
    arm(conn, firstRequestMs);
    conn.closeHandler(v -> disarm(conn));
  }

  /** First handler of every request. */
  void requestStarted(RoutingContext ctx) {
    HttpConnection conn = ctx.request().connection();
    disarm(conn);
    ctx.addEndHandler(ar -> {
      if (!ctx.response().closed()) arm(conn, nextRequestMs);
    });
    ctx.next();
  }

  private void arm(HttpConnection conn, long ms) {
    disarm(conn);
    timers.put(conn, vertx.setTimer(ms, id -> {
      timers.remove(conn);
      conn.close();
    }));
  }

  private void disarm(HttpConnection conn) {
    Long id = timers.remove(conn);
    if (id != null) vertx.cancelTimer(id);
  }
}
