package io.panicmode.config;

/** Credentials per channel. An absent section means the channel is not configured. */
public record IntegrationsConfig(
    TelegramConfig telegram,
    DiscordConfig discord,
    NtfyConfig ntfy,
    EmailConfig email,
    TwilioConfig twilio) {}
