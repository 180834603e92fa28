package io.panicmode.api;

import io.panicmode.config.ActionKind;
import io.panicmode.api.dashboard.DashboardRoutes;
import io.panicmode.api.local.CtlSocketPath;
import io.panicmode.api.local.OperatorPolicy;
import io.panicmode.api.local.SocketFile;
import io.panicmode.config.HttpApiConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.Role;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API on {@code http_api.bind} and, for {@code panicmode ctl} on this host, the same
 * routes (without the dashboard) on the Unix socket {@code firewall.ctl_socket}: health, Prometheus metrics, incidents, the block ledger
 * with manual block/unblock, thaw, agents, config reload, and the dashboard from the classpath
 * {@code webroot/} when present ({@link DashboardAssets}). Reads go to storage over {@link Addresses#STORAGE_QUERY};
 * operator actions to the target host's action verticle. Mutating routes need the bearer token
 * over HTTP; on the socket the peer's credentials decide ({@link PeerAuth}). Over HTTP the
 * {@code Host} header must name this API ({@link HostCheck}).
 * Limits: bodies over {@code max_body_bytes} get 413; a request not answered within
 * {@code request_timeout} gets 503; a connection idle for {@code idle_timeout}, or slower than
 * {@code request_timeout} to send its first request's headers, is closed.
 */
public final class ApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  private static final int MAX_TRACKED_PROCESSES = 10_000;
  private static final String EVENT_STREAM = "/api/v1/events";

  private final NodeContext ctx;
  private volatile Supplier<Future<List<String>>> reloadHandler;
  private HttpServer server;
  private Router httpRouter;
  private HttpServer localServer;
  private volatile Path localSocket;
  private MessageConsumer<JsonObject> heartbeats;
  private FleetView fleet;

  public ApiVerticle(NodeContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The launcher's config reload: completes with the list of config errors (empty when the new
   * config was applied). Without one, {@code POST /api/v1/reload} answers 503.
   */
  public void setReloadHandler(Supplier<Future<List<String>>> handler) {
    this.reloadHandler = handler;
  }

  /** The port actually bound (useful with port 0), or -1 before start. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> start() {
    ctx.status().starting(Role.API);
    HttpApiConfig cfg = ctx.config().httpApi();
    Path socketPath;
    try {
      socketPath = CtlSocketPath.resolve(ctx.config(), CtlSocketPath.runningAsRoot());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (!cfg.enabled() && socketPath == null) {
      // The role is wanted but both the HTTP server and the ctl socket are switched off.
      LOG.info("http_api.enabled is false and firewall.ctl_socket is empty: the api role serves nothing");
      ctx.status().ok(Role.API);
      return Future.succeededFuture();
    }
    long requestTimeout = cfg.requestTimeout().toMillis();
    // Leave the handlers time to answer 504 themselves before the route timeout answers 503.
    long busTimeout = Math.max(100, requestTimeout * 8 / 10);
    fleet = new FleetView(MAX_TRACKED_PROCESSES, ctx.config().fleet().staleAfter());
    ReadRoutes reads = new ReadRoutes(vertx, ctx, fleet, busTimeout);
    OperatorRoutes ops = new OperatorRoutes(vertx, ctx, busTimeout, Math.min(busTimeout, 5_000));
    RequestDeadline deadline = new RequestDeadline(vertx, requestTimeout, cfg.idleTimeout().toMillis());
    heartbeats = vertx.eventBus().consumer(Addresses.HEARTBEAT, m -> {
      try {
        fleet.record(Heartbeat.fromJson(m.body()), ctx.clock().millis());
      } catch (MessageFormatException | ClassCastException e) {
        ctx.metrics().counter("panicmode_api_heartbeats_rejected_total", "Malformed heartbeats ignored by the api").increment();
      }
    });
    ctx.metrics().gauge("panicmode_api_known_processes", "Processes the api has heard a heartbeat from", () -> fleet.size());
    context.exceptionHandler(this::uncaught);
    Future<?> ready = heartbeats.completion();
    if (cfg.enabled()) {
      String token;
      try {
        token = BearerAuth.resolveToken(cfg);
      } catch (IOException e) {
        return Future.failedFuture(new IllegalStateException("http_api.token_file: cannot read: " + e.getMessage(), e));
      }
      if (token == null) {
        LOG.warn("http_api has no token: mutating routes (block, unblock, thaw, reload) are refused over HTTP{}",
            socketPath == null ? "" : "; on this host use panicmode ctl over " + socketPath);
      }
      int colon = cfg.bind().lastIndexOf(':');
      String host = cfg.bind().substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      int port = Integer.parseInt(cfg.bind().substring(colon + 1));
      Router router = Router.router(vertx);
      router.route().handler(new HostCheck(host, cfg.allowedHosts()));
      mountRoutes(router, deadline, reads, ops, new BearerAuth(token), requestTimeout);
      DashboardRoutes.mount(router, vertx, ctx);
      DashboardAssets dashboard = DashboardAssets.fromClasspath(getClass().getClassLoader());
      if (dashboard != null) router.route(HttpMethod.GET, "/*").handler(dashboard);
      mountFailures(router);
      httpRouter = router;
      HttpServerOptions options = serverOptions(cfg).setHost(host).setPort(port);
      server = vertx.createHttpServer(options).connectionHandler(deadline::opened).requestHandler(router);
      ready = ready.compose(v -> server.listen()).onSuccess(s -> LOG.info("api listening on {}:{}", options.getHost(), s.actualPort()));
    }
    if (socketPath != null) {
      Router local = Router.router(vertx);
      mountRoutes(local, deadline, reads, ops, new PeerAuth(OperatorPolicy.forThisProcess()), requestTimeout);
      mountFailures(local);
      ready = ready.compose(v -> listenLocal(socketPath, local, deadline));
    }
    return ready.onSuccess(v -> ctx.status().ok(Role.API));
  }

  /** The HTTP listener's routes once started; a test holds them against docs/openapi.yaml. */
  Router httpRouter() {
    return httpRouter;
  }

  /** The routes both listeners share; {@code guard} decides who may use the mutating ones. */
  private void mountRoutes(Router router, RequestDeadline deadline, ReadRoutes reads, OperatorRoutes ops,
                           Handler<RoutingContext> guard, long requestTimeout) {
    HttpApiConfig cfg = ctx.config().httpApi();
    router.route().handler(this::rememberRequest);
    router.route().handler(deadline::requestStarted);
    router.route().handler(this::countRequest);
    TimeoutHandler timeout = TimeoutHandler.create(requestTimeout, 503);
    // The dashboard's event stream is meant to stay open; every other request has the deadline.
    router.route().handler(rc -> {
      if (EVENT_STREAM.equals(rc.request().path())) rc.next(); else timeout.handle(rc);
    });
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(cfg.maxBodyBytes()));
    router.route("/api/*").handler(this::refuseDeepJson);
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(this::metrics);
    router.get("/api/v1/incidents").handler(reads::incidents);
    router.get("/api/v1/blocks").handler(reads::blocks);
    router.post("/api/v1/blocks").handler(guard).handler(ops::block);
    router.delete("/api/v1/blocks/:ip").handler(guard).handler(ops::unblock);
    router.post("/api/v1/processes/:pid/thaw").handler(guard).handler(ops::thaw);
    router.get("/api/v1/agents").handler(reads::agents);
    router.get("/api/v1/actions").handler(rc -> Http.json(rc, 200, new JsonObject().put("items", ActionKind.describeAll())));
    router.post("/api/v1/reload").handler(guard).handler(this::reload);
    // Lets the dashboard's login check a token before the operator relies on it.
    router.get("/api/v1/auth").handler(guard).handler(rc -> Http.json(rc, 200, new JsonObject().put("token", "valid")));
  }

  private void mountFailures(Router router) {
    router.route().failureHandler(this::failure);
    for (int code : new int[] {400, 404, 405, 413, 500, 503}) router.errorHandler(code, this::failure);
  }

  private static HttpServerOptions serverOptions(HttpApiConfig cfg) {
    return new HttpServerOptions()
        .setIdleTimeout((int) cfg.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(8192).setMaxHeaderSize(16384).setCompressionSupported(false)
        // HTTP/1.1 only: with h2c upgrade on, Vert.x opens the connection object only after the first
        // request line, so the header deadline could not start at connect time.
        .setHttp2ClearTextEnabled(false);
  }

  /**
   * Serves the same routes on the local control socket, for {@code panicmode ctl} on this host.
   * A socket that cannot be had (another PanicMode serves it, no permission) is logged and left
   * out; the HTTP API, if enabled, still works.
   */
  private Future<Void> listenLocal(Path path, Router router, RequestDeadline deadline) {
    return vertx.<Void>executeBlocking(() -> {
      SocketFile.prepare(path);
      return null;
    }).compose(v -> {
      localServer = vertx.createHttpServer(serverOptions(ctx.config().httpApi()))
          .connectionHandler(deadline::opened).requestHandler(router);
      return localServer.listen(SocketAddress.domainSocketAddress(path.toString()));
    }).compose(s -> vertx.<Void>executeBlocking(() -> {
      SocketFile.openToLocalUsers(path);
      localSocket = path;
      LOG.info("ctl socket listening on {} (root, the daemon's user and group {} may change things; others read)",
          path, OperatorPolicy.GROUP);
      return null;
    })).recover(err -> {
      LOG.warn("ctl socket {} not served: {}", path, err.getMessage());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    if (heartbeats != null) closing.add(heartbeats.unregister());
    if (server != null) closing.add(server.close());
    if (localServer != null) closing.add(localServer.close());
    Path socket = localSocket;
    return Future.join(closing).onComplete(ar -> {
      // Vert.x leaves the socket file behind; a later start would otherwise have to clear it.
      if (socket != null) SocketFile.remove(socket);
      ctx.status().remove(Role.API);
    });
  }

  private void countRequest(RoutingContext rc) {
    String method = rc.request().method().name();
    rc.addEndHandler(ar -> ctx.metrics().counter("panicmode_api_requests_total", "HTTP requests by method and status",
        "method", method, "code", String.valueOf(rc.response().getStatusCode())).increment());
    rc.next();
  }

  private void health(RoutingContext rc) {
    long now = ctx.clock().millis();
    JsonObject h = fleet.health(ctx.hostId(), ctx.status().snapshot(), ctx.status().reasons(),
        Math.max(0, (now - ctx.startedAtMillis()) / 1000), ctx.version(), now);
    h.put("deployments", new JsonObject(new LinkedHashMap<>(ctx.status().deployments())));
    Http.json(rc, 200, h);
  }

  private void metrics(RoutingContext rc) {
    String text = ctx.metrics().renderPrometheus() + JvmMetrics.render(ctx.version(), ctx.startedAtMillis(), ctx.clock().millis());
    rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text);
  }

  private void reload(RoutingContext rc) {
    Supplier<Future<List<String>>> handler = reloadHandler;
    if (handler == null) {
      Http.error(rc, 503, "reload is not available in this process");
      return;
    }
    Future<List<String>> result;
    try {
      result = handler.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(errors -> {
      if (errors == null || errors.isEmpty()) {
        Http.json(rc, 200, new JsonObject().put("status", "reloaded"));
      } else {
        Http.json(rc, 400, new JsonObject().put("error", "config rejected; the running config is kept")
            .put("errors", new JsonArray(new ArrayList<>(errors))));
      }
    }).onFailure(err -> Http.error(rc, 500, "reload failed: " + err.getMessage()));
  }

  private void failure(RoutingContext rc) {
    Throwable t = rc.failure();
    if (t instanceof ApiError e) {
      Http.error(rc, e.status, e.getMessage());
      return;
    }
    int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
    String message = switch (status) {
      case 400 -> "bad request";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body larger than " + ctx.config().httpApi().maxBodyBytes() + " bytes";
      case 503 -> "request timed out";
      default -> "internal error";
    };
    if (status == 503 || status == 413) {
      // The client may still owe body bytes. Closing at once would reset the connection and could
      // destroy the answer in flight, so the rest is read and discarded for a moment, then closed.
      rc.response().putHeader("Connection", "close");
      var request = rc.request();
      if (!request.isEnded()) request.handler(ignored -> { }).resume();
      rc.response().endHandler(v -> vertx.setTimer(1000, timer -> request.connection().close()));
    }
    if (status == 500) {
      internalError(rc, t);
      return;
    }
    Http.error(rc, status, message);
  }

  private void refuseDeepJson(RoutingContext rc) {
    if (rc.body() != null && rc.body().length() > 0 && JsonDepth.exceeds(rc.body().buffer(), JsonDepth.MAX)) {
      Http.error(rc, 400, "request body: JSON nested deeper than " + JsonDepth.MAX + " levels");
      return;
    }
    rc.next();
  }

  /**
   * Each request runs on a context of its own (a duplicate of this verticle's); the request is kept
   * there so that an exception thrown later, in a callback of the request's futures, still finds
   * the request it belongs to and answers it at once instead of leaving it to the route timeout.
   */
  private void rememberRequest(RoutingContext rc) {
    if (Vertx.currentContext() instanceof ContextInternal c) c.localContextData().put(RoutingContext.class, rc);
    rc.next();
  }

  /** Exceptions nobody caught on this verticle's contexts, including those of request callbacks. */
  private void uncaught(Throwable t) {
    RoutingContext rc = Vertx.currentContext() instanceof ContextInternal c
        ? (RoutingContext) c.localContextData().get(RoutingContext.class) : null;
    if (rc == null || rc.response().ended()) {
      LOG.error("api: uncaught exception outside a request", t);
      return;
    }
    internalError(rc, t);
  }

  /** The one answer to an unexpected failure: 500 with an id that finds the logged stack trace. */
  private void internalError(RoutingContext rc, Throwable t) {
    String errorId = java.util.UUID.randomUUID().toString().substring(0, 8);
    LOG.error("api request {} {} failed (error id {})", rc.request().method(), rc.request().path(), errorId, t);
    ctx.metrics().counter("panicmode_api_internal_errors_total", "API requests answered 500 after an unexpected exception")
        .increment();
    Http.json(rc, 500, new JsonObject().put("error", "internal error").put("errorId", errorId));
  }
}
