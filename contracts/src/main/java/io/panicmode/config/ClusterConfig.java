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
 * @param commandKeyFile file holding the host's command key (HMAC-SHA256, hex or raw); action
 *                       commands are signed with it in clustered mode
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
    @Default("3s") java.time.Duration joinTimeout) {}
