package io.panicmode.config;

import java.time.Duration;

/**
 * Breaker around every action: trips after max_failures within failure_window, stays open
 * open_duration; at most max_concurrency calls of one op run at once and up to max_queued more
 * wait their turn.
 */
public record CircuitBreakerConfig(
    @Default("5") int maxFailures,
    @Default("60s") Duration failureWindow,
    @Default("30s") Duration openDuration,
    @Default("5") int maxConcurrency,
    @Default("10s") Duration timeout,
    @Default("10000") int maxQueued) {}
