package io.panicmode.config;

import java.time.Duration;

/** Minimum time between two alerts of one severity for the same rule; 0 = none. Actions are never limited. */
public record RateLimitsConfig(
    @Default("60s") Duration critical,
    @Default("300s") Duration warning,
    @Default("0s") Duration info) {}
