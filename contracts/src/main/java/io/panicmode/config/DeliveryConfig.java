package io.panicmode.config;

import java.time.Duration;

/**
 * Alert delivery (an addition). {@code outbox_db} null means {@code alert_outbox.db} next to
 * {@code storage.incident_db}. Above {@code digest_threshold} alerts per minute on a channel,
 * further alerts are grouped into one digest per {@code digest_interval}.
 */
public record DeliveryConfig(
    String outboxDb,
    @Default("24h") Duration outboxExpiry,
    @Default("10") int digestThreshold,
    @Default("60s") Duration digestInterval,
    @Default("10000") int maxQueued) {}
