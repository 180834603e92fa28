package io.panicmode.config;

import java.time.Duration;

/** {@code actions.<key>}: a hook script for {@code run_script}. */
public record HookConfig(
    @Default("script") String type,
    @Required String action,
    @Default("60s") Duration timeout) {}
