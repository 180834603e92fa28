package io.panicmode.config;

import java.util.Locale;

/** Alert channels of {@code alerts.<severity>[].channel}. */
public enum ChannelType {
  TELEGRAM, DISCORD, NTFY, EMAIL, WEBHOOK, TWILIO_SMS, TWILIO_CALL, LOG;

  public String wire() { return name().toLowerCase(Locale.ROOT); }
}
