package io.panicmode.launcher.bridge;

import io.panicmode.config.BridgeConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central tier's side of the bridge: agents connect with mutual TLS (a certificate from the
 * fleet CA is required) and every frame is held to {@link BridgePolicy} for the host id their
 * certificate names. A refused frame is counted by reason; a refused request is also answered
 * with a 403 failure, so the agent's outbox drops it instead of retrying it forever.
 */
public final class BridgeServerVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeServerVerticle.class);
  /** Reply addresses the event bus makes up; the bridge lets a socket send to one only while it owes that answer. */
  private static final String REPLY_PREFIX = "__vertx.reply.";

  private final BridgeConfig config;
  private final MetricsRegistry metrics;
  /** Host id of each connected agent by socket, "" for a socket whose certificate names none; shared by all instances. */
  private final Map<NetSocket, String> hosts;
  /** Sockets whose refusals were logged once already: a hostile agent must not flood the log (the counter counts all). */
  private final Set<NetSocket> warned;
  private TcpEventBusBridge bridge;

  private BridgeServerVerticle(BridgeConfig config, MetricsRegistry metrics, Map<NetSocket, String> hosts,
                               Set<NetSocket> warned) {
    this.config = config;
    this.metrics = metrics;
    this.hosts = hosts;
    this.warned = warned;
  }

  /**
   * Serves the bridge from {@code instances} verticles sharing the port, so TLS and frame handling
   * of many agents spread over that many event loops (one loop measured as the limit at 200 agents).
   */
  public static Future<String> deploy(Vertx vertx, BridgeConfig config, MetricsRegistry metrics, int instances) {
    Map<NetSocket, String> hosts = new ConcurrentHashMap<>();
    Set<NetSocket> warned = ConcurrentHashMap.newKeySet();
    metrics.gauge("panicmode_bridge_agents_connected", "Agents connected to this node's bridge", hosts::size);
    return vertx.deployVerticle(() -> new BridgeServerVerticle(config, metrics, hosts, warned),
        new DeploymentOptions().setInstances(instances));
  }

  @Override
  public void start(Promise<Void> started) {
    var tls = config.tls();
    NetServerOptions net = new NetServerOptions().setSsl(true).setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PfxOptions().setPath(tls.keyStore()).setPassword(tls.keyStorePassword()))
        .setTrustOptions(new PfxOptions().setPath(tls.trustStore()).setPassword(tls.trustStorePassword()))
        .setIdleTimeout(120);
    // The bridge's own coarse filter; the per-host rules are applied in onEvent.
    BridgeOptions permitted = new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.STORAGE))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.ALERTS))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.INCIDENTS))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.HEARTBEAT))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.SHARED_BANS))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("panicmode\\.action\\.[A-Za-z0-9_-]+"))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.SHARED_BANS));
    bridge = TcpEventBusBridge.create(vertx, permitted, net, this::onEvent);
    bridge.listen(config.port(), config.bind()).onComplete(ar -> {
      if (ar.succeeded()) {
        LOG.debug("bridge instance listening on {}:{}", config.bind(), config.port());
        started.complete();
      } else {
        started.fail(new IllegalStateException("central.bridge: cannot listen on " + config.bind() + ":" + config.port()
            + ": " + ar.cause().getMessage(), ar.cause()));
      }
    });
  }

  private void onEvent(BridgeEvent event) {
    NetSocket socket = event.socket();
    BridgeEventType type = event.type();
    // The bridge reports neither SOCKET_CREATED nor SOCKET_CLOSED here: an agent is identified at its
    // first frame ("" = its certificate names no host id) and forgotten when its socket closes.
    String known = hosts.get(socket);
    if (known == null) {
      known = Objects.requireNonNullElse(certifiedHost(socket), "");
      hosts.put(socket, known);
      socket.closeHandler(v -> {
        hosts.remove(socket);
        warned.remove(socket);
      });
    }
    String host = known == null || known.isEmpty() ? null : known;
    JsonObject frame = event.getRawMessage();
    String address = frame == null ? null : frame.getString("address");
    boolean answering = type == BridgeEventType.SEND && address != null && address.startsWith(REPLY_PREFIX);
    String refusal = BridgePolicy.check(type, frame, host, answering);
    if (refusal == null) {
      event.complete(true);
      return;
    }
    metrics.counter("panicmode_bridge_refused_total", "Frames the bridge refused, by reason", "reason", refusal).increment();
    if (warned.add(socket)) {
      LOG.warn("bridge: refused {} to {} from {} ({}): {}; further refusals on this connection are counted in "
          + "panicmode_bridge_refused_total and logged at debug", type, address,
          host == null ? "an agent without a host id" : host, socket.remoteAddress(), refusal);
    } else {
      LOG.debug("bridge: refused {} to {} from {}: {}", type, address, host, refusal);
    }
    String replyAddress = frame == null ? null : frame.getString("replyAddress");
    if (type == BridgeEventType.SEND && replyAddress != null) {
      FrameHelper.sendErrFrame(address, replyAddress, new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 403,
          "refused by the central bridge: " + refusal), socket);
    }
    event.complete(false);
  }

  /** The host id the socket's client certificate names, or null. */
  private static String certifiedHost(NetSocket socket) {
    try {
      return BridgePolicy.hostOf(socket.peerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  @Override
  public void stop(Promise<Void> stopped) {
    if (bridge == null) {
      stopped.complete();
      return;
    }
    bridge.close().onComplete(ar -> stopped.complete());
  }
}
