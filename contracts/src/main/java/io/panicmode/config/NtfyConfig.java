package io.panicmode.config;

public record NtfyConfig(
    @Default("true") boolean enabled,
    @Default("https://ntfy.sh") String server,
    @Default("panicmode") String topic,
    @Secret String token) {}
