package io.panicmode.config;

import java.time.Duration;

/**
 * The TCP event-bus bridge between an agent host and the central tier, with mutual TLS. The
 * central node serves it ({@code listen: true}); an agent names it in {@code connect} and then
 * runs as one non-clustered process that reaches the central tier only through it.
 *
 * @param listen         serve the bridge on {@code bind}:{@code port} (central node)
 * @param bind           address the central node's bridge listens on
 * @param port           bridge port (0 picks a free one; tests)
 * @param connect        {@code host:port} of the central bridge (agent); null: not an agent over a bridge
 * @param tls            key store (this host's certificate from {@code panicmode certs issue}) and the fleet
 *                       trust store; required on both sides
 * @param requestTimeout how long an agent waits for the central tier to acknowledge one message
 * @param maxPending     most requests an agent keeps in flight over the bridge; further ones fail at once
 */
public record BridgeConfig(
    @Default("false") boolean listen,
    @Default("127.0.0.1") String bind,
    @Default("7443") int port,
    String connect,
    @Default("{}") TlsConfig tls,
    @Default("10s") Duration requestTimeout,
    @Default("4096") int maxPending) {

  /** True on an agent that reaches the central tier over the bridge. */
  public boolean isAgent() { return connect != null && !connect.isBlank(); }
}
