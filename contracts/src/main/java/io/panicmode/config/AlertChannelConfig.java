package io.panicmode.config;

import java.time.Duration;
import java.util.List;

/**
 * One channel entry under {@code alerts.<severity>}. Per-channel fields override the
 * integration's: {@code webhook_url} (discord, webhook), {@code chat_id} (telegram),
 * {@code topic} (ntfy), {@code email} (recipient), {@code contacts} (twilio).
 */
public record AlertChannelConfig(
    @Required ChannelType channel,
    @Default("3") int retries,
    @Default("10s") Duration timeout,
    @Secret String webhookUrl,
    String chatId,
    String topic,
    String email,
    @Default("[]") List<Contact> contacts) {}
