package io.panicmode.config;

public record DiscordConfig(@Default("true") boolean enabled, @Secret String webhookUrl) {}
