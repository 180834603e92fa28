package io.panicmode.launcher.bridge;

import io.panicmode.config.BridgeConfig;
import io.panicmode.config.TlsConfig;
import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's connection to the central tier's bridge: one TLS connection with this host's
 * certificate, kept up with backoff. It carries requests (the outbox's deliveries), publishes
 * (best effort, dropped while disconnected), and the addresses this agent serves for the central
 * tier (its command address): each message arriving there is handed to the local event bus and
 * the local reply, or failure, goes back over the bridge.
 *
 * <p>This is the only class that knows the bridge's wire format (the jar's frame helper and
 * parser). Every request has a timeout and at most {@code max_pending} are in flight; while the
 * connection is down requests fail at once, so the outbox keeps its messages and retries.
 * State lives on the client's own context; results complete on the caller's context.
 */
public final class BridgeClient {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeClient.class);
  private static final Backoff RECONNECT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  private static final long PING_MS = 30_000;
  /** Longest a locally served request may take before its failure is sent back. */
  private static final long SERVE_TIMEOUT_MS = 30_000;
  /**
   * Header on what this client publishes locally for the central tier: whoever passes local
   * publishes on to the central tier skips these, so nothing loops back and forth.
   */
  public static final String FROM_CENTRAL = "panicmode-from-central";

  private record Pending(Promise<JsonObject> promise, Context caller, long timer) {}

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final String hostId;
  private final BridgeConfig config;
  private final NetClient client;
  private final Context home;
  private final Map<String, Pending> pending = new HashMap<>();
  private final Set<String> served = new LinkedHashSet<>();
  private final AtomicLong connectedGauge = new AtomicLong();
  private final LongAdder refused;
  private final LongAdder dropped;
  private final LongAdder reconnects;
  private long nextId;
  private int attempt;
  private NetSocket socket;
  private boolean closed;
  private long pingTimer = -1;

  /** {@code hostId} names this agent in reply addresses; the central side trusts only its certificate. */
  public BridgeClient(Vertx vertx, String hostId, BridgeConfig config, MetricsRegistry metrics) {
    this.vertx = vertx;
    this.hostId = hostId;
    this.config = config;
    String target = config.connect();
    int colon = target.lastIndexOf(':');
    this.host = target.substring(0, colon).replace("[", "").replace("]", "");
    this.port = Integer.parseInt(target.substring(colon + 1));
    var tls = config.tls();
    this.client = vertx.createNetClient(new NetClientOptions().setSsl(true).setConnectTimeout(10_000)
        .setKeyCertOptions(new PfxOptions().setPath(tls.keyStore()).setPassword(tls.keyStorePassword()))
        .setTrustOptions(new PfxOptions().setPath(tls.trustStore()).setPassword(tls.trustStorePassword()))
        // Node certificates name a host id, not a DNS name; the fleet CA is what vouches for the central node.
        .setHostnameVerificationAlgorithm(""));
    this.home = vertx.getOrCreateContext();
    metrics.gauge("panicmode_bridge_connected", "1 while this agent is connected to the central bridge", connectedGauge::get);
    refused = metrics.counter("panicmode_bridge_client_refused_total", "Frames the central bridge refused");
    dropped = metrics.counter("panicmode_bridge_client_dropped_total", "Publishes dropped while the bridge was down");
    reconnects = metrics.counter("panicmode_bridge_client_connects_total", "Connections made to the central bridge");
  }

  /**
   * The host id this agent's own certificate names (what the central side will hold it to), or
   * null when the key store names none; fails when the key store cannot be read.
   */
  public static String certifiedHost(TlsConfig tls) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    char[] password = tls.keyStorePassword() == null ? new char[0] : tls.keyStorePassword().toCharArray();
    try (var in = Files.newInputStream(Path.of(tls.keyStore()))) {
      ks.load(in, password);
    }
    for (String alias : Collections.list(ks.aliases())) {
      if (!ks.isKeyEntry(alias)) continue;
      Certificate[] chain = ks.getCertificateChain(alias);
      if (chain != null) return BridgePolicy.hostOf(List.of(chain));
    }
    return null;
  }

  /** Starts connecting; completes at once (the connection comes up, and back, on its own). */
  public Future<Void> start() {
    home.runOnContext(v -> connect());
    return Future.succeededFuture();
  }

  /** True while connected to the central bridge. */
  public boolean isConnected() { return connectedGauge.get() == 1; }

  /**
   * Sends {@code body} to {@code address} on the central tier and completes with the reply; fails
   * at once when disconnected or {@code max_pending} requests are in flight, and after {@code timeoutMs}.
   */
  public Future<JsonObject> request(String address, JsonObject body, long timeoutMs) {
    Context caller = vertx.getOrCreateContext();
    Promise<JsonObject> promise = Promise.promise();
    onHome(() -> {
      if (socket == null) {
        fail(caller, promise, new ReplyException(ReplyFailure.NO_HANDLERS, "central bridge not connected"));
        return;
      }
      if (pending.size() >= config.maxPending()) {
        fail(caller, promise, new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503,
            "more than " + config.maxPending() + " requests in flight over the bridge"));
        return;
      }
      String replyAddress = "bridge-reply." + hostId + "." + (nextId++);
      long timer = vertx.setTimer(timeoutMs, t -> {
        Pending p = pending.remove(replyAddress);
        if (p != null) fail(p.caller, p.promise, new ReplyException(ReplyFailure.TIMEOUT, "no answer over the bridge within "
            + timeoutMs + " ms"));
      });
      pending.put(replyAddress, new Pending(promise, caller, timer));
      FrameHelper.sendFrame("send", address, replyAddress, null, true, body, socket);
    });
    return promise.future();
  }

  /** Publishes on the central tier while connected; dropped (and counted) otherwise. */
  public void publish(String address, JsonObject body) {
    onHome(() -> {
      if (socket == null) {
        dropped.increment();
        return;
      }
      FrameHelper.sendFrame("publish", address, null, null, false, body, socket);
    });
  }

  /** Receives what the central tier sends to {@code address} (now and after every reconnect) and serves it locally. */
  public void serve(String address) {
    home.runOnContext(v -> {
      if (served.add(address) && socket != null) FrameHelper.sendFrame("register", address, null, socket);
    });
  }

  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    home.runOnContext(v -> {
      closed = true;
      if (pingTimer >= 0) vertx.cancelTimer(pingTimer);
      NetSocket s = socket;
      socket = null;
      failAll("bridge client closed");
      (s == null ? Future.<Void>succeededFuture() : s.close()).onComplete(x -> client.close().onComplete(y -> done.complete()));
    });
    return done.future();
  }

  // ---- on the client's context ----

  private void connect() {
    if (closed) return;
    client.connect(port, host).onComplete(ar -> {
      if (closed) {
        if (ar.succeeded()) ar.result().close();
        return;
      }
      if (ar.failed()) {
        retryLater(ar.cause().getMessage());
        return;
      }
      NetSocket s = ar.result();
      socket = s;
      attempt = 0;
      connectedGauge.set(1);
      reconnects.increment();
      LOG.info("connected to the central bridge {}:{}", host, port);
      s.handler(new FrameParser(frame -> {
        if (frame.succeeded()) onFrame(frame.result());
        else LOG.warn("central bridge sent a frame that does not parse: {}", frame.cause().getMessage());
      }));
      s.closeHandler(x -> onClosed(s));
      s.exceptionHandler(err -> LOG.debug("central bridge connection: {}", err.getMessage()));
      for (String address : served) FrameHelper.sendFrame("register", address, null, s);
      pingTimer = vertx.setPeriodic(PING_MS, t -> {
        if (socket != null) FrameHelper.sendFrame("ping", socket);
      });
    });
  }

  private void onClosed(NetSocket s) {
    if (socket != s) return;
    socket = null;
    connectedGauge.set(0);
    if (pingTimer >= 0) vertx.cancelTimer(pingTimer);
    pingTimer = -1;
    failAll("central bridge connection lost");
    if (!closed) retryLater("connection closed");
  }

  private void retryLater(String why) {
    long wait = RECONNECT.delay(attempt++, ThreadLocalRandom.current()).toMillis();
    LOG.debug("central bridge {}:{} unreachable ({}); trying again in {} ms", host, port, why, wait);
    vertx.setTimer(wait, t -> connect());
  }

  private void onFrame(JsonObject frame) {
    String type = frame.getString("type", "");
    String address = frame.getString("address");
    Pending p = address == null ? null : pending.remove(address);
    if (p != null) {
      vertx.cancelTimer(p.timer);
      if ("err".equals(type)) fail(p.caller, p.promise, replyFailure(frame));
      else onContext(p.caller, () -> p.promise.complete(frame.getJsonObject("body")));
      return;
    }
    switch (type) {
      case "message" -> deliverLocally(frame);
      case "err" -> {
        // Refusals of publishes and registrations name no request to fail.
        refused.increment();
        LOG.warn("central bridge refused a frame: {}", frame.getString("message"));
      }
      default -> { } // pong
    }
  }

  /** A message from the central tier to an address this agent serves: asked of the local event bus, the answer sent back. */
  private void deliverLocally(JsonObject frame) {
    String address = frame.getString("address");
    Object body = frame.getValue("body");
    String replyAddress = frame.getString("replyAddress");
    if (address == null || !served.contains(address)) return;
    if (replyAddress == null) {
      vertx.eventBus().publish(address, body, new DeliveryOptions().addHeader(FROM_CENTRAL, "1"));
      return;
    }
    vertx.eventBus().<Object>request(address, body, new DeliveryOptions().setSendTimeout(SERVE_TIMEOUT_MS)).onComplete(ar -> {
      NetSocket s = socket;
      if (s == null) return; // the central side's request times out
      if (ar.succeeded()) {
        FrameHelper.sendFrame("send", replyAddress, null, null, true, ar.result().body(), s);
      } else {
        int code = ar.cause() instanceof ReplyException re ? re.failureCode() : 500;
        FrameHelper.writeFrame(new JsonObject().put("type", "send").put("address", replyAddress)
            .put("failureCode", code).put("message", String.valueOf(ar.cause().getMessage())), s);
      }
    });
  }

  private static ReplyException replyFailure(JsonObject frame) {
    ReplyFailure type;
    try {
      type = ReplyFailure.valueOf(frame.getString("failureType", "RECIPIENT_FAILURE"));
    } catch (IllegalArgumentException | ClassCastException e) {
      type = ReplyFailure.RECIPIENT_FAILURE;
    }
    return new ReplyException(type, frame.getInteger("failureCode", -1), frame.getString("message"));
  }

  private void failAll(String why) {
    Map<String, Pending> all = new HashMap<>(pending);
    pending.clear();
    all.values().forEach(p -> {
      vertx.cancelTimer(p.timer);
      fail(p.caller, p.promise, new ReplyException(ReplyFailure.NO_HANDLERS, why));
    });
  }

  private static void fail(Context caller, Promise<JsonObject> promise, Throwable cause) {
    onContext(caller, () -> promise.fail(cause));
  }

  private void onHome(Runnable work) { onContext(home, work); }

  /** Runs {@code work} on {@code ctx}: at once when already there (an agent's outbox and client share one), else queued. */
  private static void onContext(Context ctx, Runnable work) {
    if (Vertx.currentContext() == ctx) work.run();
    else ctx.runOnContext(v -> work.run());
  }
}
