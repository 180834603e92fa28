package io.panicmode.config;

import java.time.Duration;

public record FileMonitorConfig(
    @Default("1000") int maxEventsPerPath,
    @Default("60s") Duration aggregationWindow) {}
