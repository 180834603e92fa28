package io.panicmode.config;

/** {@code api_base_url} null means https://api.telegram.org. */
public record TelegramConfig(
    @Default("true") boolean enabled,
    @Secret String botToken,
    String chatId,
    String apiBaseUrl) {}
