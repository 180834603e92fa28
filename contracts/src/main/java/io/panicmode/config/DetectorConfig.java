package io.panicmode.config;

import java.time.Duration;

/**
 * Detector tuning (an addition). {@code hysteresis} is the percent of a rule's threshold the
 * value must fall below it before the incident resolves.
 */
public record DetectorConfig(
    @Default("300s") Duration dedupWindow,
    @Default("{}") RateLimitsConfig rateLimits,
    @Default("5.0") double hysteresis,
    @Default("10m") Duration authWindow,
    @Default("100000") int maxTrackedSubjects,
    Double distributedAuthThreshold) {}
