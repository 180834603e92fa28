package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.ChannelType;
import io.panicmode.config.IntegrationsConfig;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Every channel type and the one factory that builds it. Adding a channel: one file, one line here. */
public final class ChannelRegistry {
  private ChannelRegistry() {}

  /** Builds a channel from its alert entry and the integrations; null when the integration is disabled or incomplete. */
  interface Factory {
    AlertChannel create(ChannelDeps deps, AlertChannelConfig channel, IntegrationsConfig integrations);
  }

  private static final Map<ChannelType, Factory> FACTORIES = new EnumMap<>(ChannelType.class);

  static {
    FACTORIES.put(ChannelType.TELEGRAM, TelegramChannel::fromConfig);
    FACTORIES.put(ChannelType.DISCORD, DiscordChannel::fromConfig);
    FACTORIES.put(ChannelType.NTFY, NtfyChannel::fromConfig);
    FACTORIES.put(ChannelType.EMAIL, EmailChannel::fromConfig);
    FACTORIES.put(ChannelType.WEBHOOK, WebhookChannel::fromConfig);
    FACTORIES.put(ChannelType.TWILIO_SMS, TwilioSmsChannel::fromConfig);
    FACTORIES.put(ChannelType.TWILIO_CALL, TwilioCallChannel::fromConfig);
    FACTORIES.put(ChannelType.LOG, LogChannel::fromConfig);
  }

  /** The channel for one {@code alerts.<severity>[i]} entry; empty when its integration is disabled. */
  public static Optional<AlertChannel> create(ChannelDeps deps, AlertChannelConfig channel, IntegrationsConfig integrations) {
    Factory f = FACTORIES.get(channel.channel());
    if (f == null) throw new IllegalStateException("no factory for channel " + channel.channel().wire());
    return Optional.ofNullable(f.create(deps, channel, integrations));
  }
}
