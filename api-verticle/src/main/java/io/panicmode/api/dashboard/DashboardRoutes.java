package io.panicmode.api.dashboard;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.HostId;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server side of the dashboard, mounted on the api verticle's router:
 * <ul>
 *   <li>{@code GET /api/v1/events}: a Server-Sent-Events stream of {@code incident} (an
 *       {@link Incident}, fired or resolved), {@code heartbeat} (a {@link Heartbeat}) and
 *       {@code metrics} (one {@link MetricHistory} bucket with its {@code host}) events;</li>
 *   <li>{@code GET /api/v1/history}: the hosts with a history; {@code GET /api/v1/history/{host}}: that
 *       host's bounded history for the plots;</li>
 *   <li>security headers on the dashboard's own files.</li>
 * </ul>
 * Everything here is read-only, like the api's other GET routes: mutations go through the REST
 * routes and their bearer token. The event-bus consumers are registered on the calling verticle's
 * context, so they (and the keep-alive timer) go away when that verticle is undeployed.
 */
public final class DashboardRoutes {
  /** Open event streams at most; more are refused with 503. */
  static final int MAX_STREAMS = 32;
  /** Open event streams from one client address at most (a browser with several tabs stays well under it). */
  static final int MAX_STREAMS_PER_ADDRESS = 8;
  /** Hosts kept in the history at most. */
  static final int MAX_HOSTS = 512;
  /** 480 buckets of 15 s: two hours, the default heartbeat interval per bucket. */
  static final int MAX_POINTS = 480;
  static final long STEP_MILLIS = 15_000;
  /** Keep-alive comments at most this far apart, and at least three per {@code http_api.idle_timeout}. */
  static final long KEEP_ALIVE_MILLIS = 15_000;

  private DashboardRoutes() {}

  public static void mount(Router router, Vertx vertx, NodeContext ctx) {
    MetricsRegistry m = ctx.metrics();
    SseHub hub = new SseHub(MAX_STREAMS, MAX_STREAMS_PER_ADDRESS,
        m.counter("panicmode_dashboard_streams_refused_total", "Dashboard event streams refused (too many open)"),
        m.counter("panicmode_dashboard_streams_cut_total", "Dashboard event streams closed because the reader fell behind"));
    MetricHistory history = new MetricHistory(MAX_HOSTS, MAX_POINTS, STEP_MILLIS,
        m.counter("panicmode_dashboard_history_hosts_evicted_total", "Hosts dropped from the dashboard history (too many)"),
        m.counter("panicmode_dashboard_history_late_total",
            "Samples dropped from the dashboard history (older than its latest bucket)"));
    LongAdder malformed = m.counter("panicmode_dashboard_messages_malformed_total",
        "Event-bus messages the dashboard relay could not decode and dropped");
    m.gauge("panicmode_dashboard_streams", "Open dashboard event streams", hub::size);

    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.INCIDENTS, msg -> {
      try {
        hub.broadcast("incident", Incident.fromJson(msg.body()).toJson());
      } catch (MessageFormatException | ClassCastException e) {
        malformed.increment();
      }
    });
    String local = ctx.hostId();
    bus.<JsonObject>consumer(Addresses.HEARTBEAT, msg -> {
      try {
        Heartbeat h = Heartbeat.fromJson(msg.body());
        hub.broadcast("heartbeat", h.toJson());
        publishPoint(hub, h.host(), history.record(h.host(), ctx.clock().millis(), h.summary()));
        Double failures = h.summary().get("auth_failures");
        // This host's failures are counted one by one below; other hosts report theirs in each heartbeat.
        if (failures != null && failures > 0 && !h.host().equals(local)) {
          publishPoint(hub, h.host(), history.countAuthFailures(h.host(), ctx.clock().millis(), failures.longValue()));
        }
      } catch (MessageFormatException | ClassCastException e) {
        malformed.increment();
      }
    });
    // Snapshots and auth events of other hosts stay on their own nodes (only their heartbeats travel),
    // so only this host's are read, and only from this process's bus.
    bus.<JsonObject>localConsumer(Addresses.metrics(local), msg -> {
      try {
        MetricsSnapshot s = MetricsSnapshot.fromJson(msg.body());
        publishPoint(hub, local, history.record(local, ctx.clock().millis(), s.gauges()));
      } catch (MessageFormatException | ClassCastException e) {
        malformed.increment();
      }
    });
    bus.<JsonObject>localConsumer(Addresses.authEvents(local), msg -> {
      try {
        AuthEvent.fromJson(msg.body());
        history.countAuthFailure(local, ctx.clock().millis());
      } catch (MessageFormatException | ClassCastException e) {
        malformed.increment();
      }
    });
    long idle = ctx.config().httpApi().idleTimeout().toMillis();
    vertx.setPeriodic(Math.max(250, Math.min(KEEP_ALIVE_MILLIS, idle / 3)), id -> hub.keepAlive());

    router.get("/api/v1/events").handler(rc -> openStream(rc, hub));
    router.get("/api/v1/history").handler(rc -> json(rc, 200,
        new JsonObject().put("hosts", new JsonArray(history.hosts())).put("stepMillis", history.stepMillis())));
    router.get("/api/v1/history/:host").handler(rc -> {
      String host = rc.pathParam("host");
      if (!HostId.isValid(host)) {
        json(rc, 400, new JsonObject().put("error", "invalid host id"));
        return;
      }
      json(rc, 200, history.toJson(host));
    });
    router.routeWithRegex(HttpMethod.GET, "^/(?!api/|health$|metrics$).*").handler(DashboardRoutes::pageHeaders);
  }

  private static void publishPoint(SseHub hub, String host, MetricHistory.Point p) {
    if (p != null) hub.broadcast("metrics", MetricHistory.pointJson(host, p));
  }

  private static void openStream(RoutingContext rc, SseHub hub) {
    HttpServerResponse resp = rc.response();
    SseHub.Client client = new SseHub.Client() {
      @Override
      public boolean writable() { return !resp.closed() && !resp.writeQueueFull(); }

      @Override
      public void write(String frame) { resp.write(frame); }

      @Override
      public void close() { resp.reset(); }
    };
    var remote = rc.request().remoteAddress();
    String address = remote == null ? "unknown" : remote.hostAddress();
    if (!hub.add(client, address)) {
      json(rc, 503, new JsonObject().put("error", "too many open event streams"));
      return;
    }
    resp.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Accel-Buffering", "no");
    resp.closeHandler(v -> hub.remove(client));
    resp.exceptionHandler(e -> hub.remove(client));
    // The retry hint keeps a reconnecting browser from hammering a restarting node.
    resp.write("retry: 3000\n: connected\n\n");
  }

  private static void pageHeaders(RoutingContext rc) {
    rc.response()
        .putHeader("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
    rc.next();
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }
}
