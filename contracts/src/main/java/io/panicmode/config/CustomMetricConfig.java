package io.panicmode.config;

import java.time.Duration;

/** {@code custom_metrics.<name>}: the command is split shell-style into argv and run without a shell. */
public record CustomMetricConfig(
    @Required String command,
    @Required Duration timeout,
    Duration cacheTtl,
    @Default("number") OutputFormat outputFormat) {}
