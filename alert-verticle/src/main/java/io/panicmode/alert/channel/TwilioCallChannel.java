package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.Contact;
import io.panicmode.config.IntegrationsConfig;
import io.panicmode.config.TwilioConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Twilio voice call to each contact, reading the alert aloud from inline TwiML. The text is
 * XML-escaped, so attacker text cannot add TwiML verbs (a {@code <Dial>} or {@code <Redirect>}).
 */
final class TwilioCallChannel implements AlertChannel {
  /** A spoken alert should be short; Twilio also caps inline TwiML at 4000 characters. */
  static final int MAX_SPOKEN = 1000;

  private final TwilioApi api;
  private final List<Contact> contacts;

  TwilioCallChannel(TwilioApi api, List<Contact> contacts) {
    this.api = api;
    this.contacts = List.copyOf(contacts);
  }

  static AlertChannel fromConfig(ChannelDeps deps, AlertChannelConfig ch, IntegrationsConfig in) {
    TwilioConfig t = in.twilio();
    if (t == null || !t.enabled()) return null;
    return new TwilioCallChannel(new TwilioApi(deps, t, "Calls.json"), ch.contacts());
  }

  @Override public String type() { return "twilio_call"; }

  static String twiml(String text) {
    return "<Response><Say>" + xmlEscape(Texts.cut(text, MAX_SPOKEN)) + "</Say></Response>";
  }

  /** Escapes the five XML specials and drops characters XML 1.0 cannot carry at all. */
  static String xmlEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 32);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') sb.append(c);
        }
      }
    }
    return sb.toString();
  }

  @Override
  public Future<SendResult> send(AlertMessage m, Duration timeout) {
    String twiml = twiml(m.text());
    return api.toAll(contacts, m, timeout, c -> api.form(c).add("Twiml", twiml));
  }
}
