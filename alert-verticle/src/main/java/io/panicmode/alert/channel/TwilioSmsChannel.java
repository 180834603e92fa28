package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.Contact;
import io.panicmode.config.IntegrationsConfig;
import io.panicmode.config.TwilioConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/** Twilio SMS to each of the channel's {@code contacts} (Messages.json; Twilio caps bodies at 1600 characters). */
final class TwilioSmsChannel implements AlertChannel {
  static final int MAX_BODY = 1600;

  private final TwilioApi api;
  private final List<Contact> contacts;

  TwilioSmsChannel(TwilioApi api, List<Contact> contacts) {
    this.api = api;
    this.contacts = List.copyOf(contacts);
  }

  static AlertChannel fromConfig(ChannelDeps deps, AlertChannelConfig ch, IntegrationsConfig in) {
    TwilioConfig t = in.twilio();
    if (t == null || !t.enabled()) return null;
    return new TwilioSmsChannel(new TwilioApi(deps, t, "Messages.json"), ch.contacts());
  }

  @Override public String type() { return "twilio_sms"; }

  @Override
  public Future<SendResult> send(AlertMessage m, Duration timeout) {
    String body = Texts.cut(m.text(), MAX_BODY);
    return api.toAll(contacts, m, timeout, c -> api.form(c).add("Body", body));
  }
}
