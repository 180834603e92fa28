package io.panicmode.runtime;

import io.panicmode.config.PanicConfig;
import io.panicmode.runtime.outbox.CentralLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * What every verticle of one process shares: the validated config, this host's id, the clock
 * (a parameter so tests can use a fixed one), the metrics registry and the status board.
 *
 * @param clustered  true when the event bus is clustered (commands to the action verticle are then signed)
 * @param commandKey  this host's detector/action key for action commands; null in local mode
 * @param operatorKey the fleet's operator key (api → action); null in local mode
 * @param resultSigner  this host's result key (action role); null when results are not signed
 * @param resultVerifier the action roles' public keys (requesters); null when results are not verified
 * @param central    the process's persistent outbox toward the alert and storage nodes (the launcher's);
 *                   null in tests and tools, where {@link #deliver} sends once instead
 */
public record NodeContext(PanicConfig config, String hostId, Clock clock, MetricsRegistry metrics,
                          StatusBoard status, boolean clustered, CommandSigner commandKey,
                          CommandSigner operatorKey, ResultSigner resultSigner, ResultVerifier resultVerifier,
                          long startedAtMillis, String version, CentralLink central) {
  /** How long a message sent without an outbox waits for its reply. */
  private static final long DIRECT_TIMEOUT_MS = 10_000;

  /** Without result keys: local mode and tests that do not exercise result signing. */
  public NodeContext(PanicConfig config, String hostId, Clock clock, MetricsRegistry metrics, StatusBoard status,
                     boolean clustered, CommandSigner commandKey, CommandSigner operatorKey, long startedAtMillis,
                     String version) {
    this(config, hostId, clock, metrics, status, clustered, commandKey, operatorKey, null, null, startedAtMillis, version,
        null);
  }

  public NodeContext withResultKeys(ResultSigner signer, ResultVerifier verifier) {
    return new NodeContext(config, hostId, clock, metrics, status, clustered, commandKey, operatorKey, signer, verifier,
        startedAtMillis, version, central);
  }

  /** A context for one-process use and tests: system clock, fresh registry and board, no signing. */
  public static NodeContext local(PanicConfig config) {
    Clock clock = Clock.systemUTC();
    return new NodeContext(config, config.node().id(), clock, new MetricsRegistry(), new StatusBoard(), false, null, null,
        clock.millis(), Version.current());
  }

  public NodeContext withConfig(PanicConfig newConfig) {
    return new NodeContext(newConfig, hostId, clock, metrics, status, clustered, commandKey, operatorKey, resultSigner,
        resultVerifier, startedAtMillis, version, central);
  }

  public NodeContext withCentral(CentralLink link) {
    return new NodeContext(config, hostId, clock, metrics, status, clustered, commandKey, operatorKey, resultSigner,
        resultVerifier, startedAtMillis, version, link);
  }

  /**
   * Hands a message for the alert or storage node to the process's outbox, which keeps it until
   * acknowledged; without one (tests, tools) sends it once and completes with the reply.
   */
  public Future<?> deliver(Vertx vertx, String address, String id, JsonObject body) {
    if (central != null) return central.send(address, id, body);
    return vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(DIRECT_TIMEOUT_MS));
  }
}
