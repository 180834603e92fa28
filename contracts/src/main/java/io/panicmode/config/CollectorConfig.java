package io.panicmode.config;

import java.time.Duration;
import java.util.List;

/**
 * Where the collector reads. {@code auth_source}: auto (first existing auth log, else journald),
 * file, journald, or off. {@code auth_mode}: which sshd lines count as failures, normal (failed
 * authentication) or aggressive (also pre-authentication noise and refused keys).
 */
public record CollectorConfig(
    @Default("/proc") String procRoot,
    @Default("auto") String authSource,
    @Default("[\"/var/log/auth.log\", \"/var/log/secure\"]") List<String> authLogs,
    @Default("4096") int maxLineBytes,
    @Default("2s") Duration diskTimeout,
    @Default("normal") String authMode) {}
