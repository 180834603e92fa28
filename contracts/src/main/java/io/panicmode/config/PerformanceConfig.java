package io.panicmode.config;

import java.time.Duration;

/** PanicMode's own budget and its collection interval. */
public record PerformanceConfig(
    @Default("5.0") double cpuLimit,
    @Default("50") long memoryLimitMb,
    @Default("5s") Duration checkInterval,
    @Default("1000") int selfFdThreshold,
    @Default("200") int selfThreadThreshold,
    @Default("300s") Duration selfAlertCooldown,
    @Default("5s") Duration diskCacheTtl) {}
