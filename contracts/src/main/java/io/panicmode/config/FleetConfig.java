package io.panicmode.config;

import java.time.Duration;

/**
 * Fleet behaviour (an addition). {@code share_bans} pushes bans, and only bans, to every agent.
 * {@code outbox_db} null means {@code outbox-<roles>.db} next to {@code storage.incident_db}: every
 * process keeps what it owes the alert and storage nodes there until they acknowledge it.
 */
public record FleetConfig(
    @Default("false") boolean shareBans,
    @Default("90s") Duration staleAfter,
    @Default("15s") Duration heartbeatInterval,
    String outboxDb,
    @Default("100000") int outboxMaxEntries) {}
