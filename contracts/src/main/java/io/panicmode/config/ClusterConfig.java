package io.panicmode.config;

import java.util.List;

/**
 * Clustered event bus (Hazelcast). Off by default: one process, local event bus.
 *
 * @param bind           the one interface address Hazelcast and the event bus bind to
 * @param port           Hazelcast member port
 * @param members        other members as {@code host:port}, each listed (no ranges). Env
 *                       {@code PANICMODE_CLUSTER_MEMBERS} (comma-separated)
 * @param eventBusPort   event-bus TCP port; 0 picks a free one
 * @param commandKeyFile  file holding this host's command key (HMAC-SHA256, at least 16 bytes):
 *                        its detector signs action commands with it, its action verticle verifies
 * @param operatorKeyFile file holding the fleet's operator key: the api signs manual block,
 *                        unblock and thaw commands with it; every action verticle accepts it
 * @param resultKeyFile   file holding this host's result signing key (Ed25519 private key from
 *                        {@code panicmode certs issue}): its action role signs every ActionResult
 * @param resultKeysDir   directory of {@code HOST.result.pub} files: whoever sends commands (detector,
 *                        api) verifies the results of HOST with them; a missing, unsigned or wrongly
 *                        signed result then counts as failed
 */
public record ClusterConfig(
    @Default("false") boolean enabled,
    @Default("panicmode") String name,
    @Default("127.0.0.1") String bind,
    @Default("5701") int port,
    @Default("[]") List<String> members,
    @Default("0") int eventBusPort,
    @Default("{}") TlsConfig tls,
    String commandKeyFile,
    String operatorKeyFile,
    String resultKeyFile,
    String resultKeysDir,
    @Default("3s") java.time.Duration joinTimeout) {

  public ClusterConfig withEnabled(boolean on) {
    return new ClusterConfig(on, name, bind, port, members, eventBusPort, tls, commandKeyFile, operatorKeyFile, resultKeyFile,
        resultKeysDir, joinTimeout);
  }
}
