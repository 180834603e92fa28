package io.panicmode.config;

import java.time.Duration;
import java.util.List;

/**
 * One threshold rule. Fires when the value is greater than {@code threshold}.
 *
 * @param window     counting window for counting types (auth_failures, file_monitor); null =
 *                   the type's default (auth_failures 10m, file_monitor
 *                   {@code file_monitor.aggregation_window})
 * @param duration   the condition must hold this long before firing; null = at once
 * @param paths      disk_usage: mounts to watch (all when empty); file_monitor: paths to watch
 * @param hysteresis a firing rule resolves when the value falls to or below
 *                   {@code threshold - hysteresis}; null = {@code detector.hysteresis} percent of
 *                   the threshold
 * @param metric     custom rules: the {@code custom_metrics} entry to read (an addition); null = the
 *                   entry named like the rule, else the only custom metric (see {@link CustomRuleMetric})
 */
public record MonitorRule(
    @Required String name,
    @Required MonitorType type,
    @Required double threshold,
    @Required List<String> actions,
    @Default("true") boolean enabled,
    Duration window,
    Duration duration,
    @Default("[]") List<String> paths,
    Double hysteresis,
    String metric) {}
