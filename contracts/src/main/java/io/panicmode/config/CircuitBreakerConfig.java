package io.panicmode.config;

import java.time.Duration;

/** Breaker around every action: trips after max_failures within failure_window, stays open open_duration. */
public record CircuitBreakerConfig(
    @Default("5") int maxFailures,
    @Default("60s") Duration failureWindow,
    @Default("30s") Duration openDuration,
    @Default("5") int maxConcurrency,
    @Default("10s") Duration timeout) {}
