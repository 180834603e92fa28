package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.EmailConfig;
import io.panicmode.config.IntegrationsConfig;
import io.vertx.core.Future;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * SMTP through vertx-mail-client. Port 465 means implicit TLS; any other port with
 * {@code use_tls} means STARTTLS, required (the Rust daemon spoke implicit TLS to 587, which
 * cannot work); {@code use_tls: false} sends in plain text. Certificates and host names are
 * verified. AUTH only when a username is configured.
 *
 * <p>Subject, sender and recipient come from config only; the alert text goes into a
 * {@code text/plain} body, so attacker text can never become a header or a recipient.
 */
final class EmailChannel implements AlertChannel {
  static final String SUBJECT = "PanicMode Alert";
  static final int IMPLICIT_TLS_PORT = 465;

  private final MailClient client;
  private final String from;
  private final List<String> to;

  EmailChannel(MailClient client, String from, String to) {
    this.client = client;
    this.from = from;
    this.to = recipients(to);
  }

  /** {@code to_email} may list several addresses separated by commas. */
  static List<String> recipients(String to) {
    List<String> out = new ArrayList<>();
    for (String a : to.split(",")) if (!a.isBlank()) out.add(a.strip());
    return List.copyOf(out);
  }

  static AlertChannel fromConfig(ChannelDeps deps, AlertChannelConfig ch, IntegrationsConfig in) {
    EmailConfig e = in.email();
    if (e == null || !e.enabled()) return null;
    String to = ch.email() != null && !ch.email().isBlank() ? ch.email() : e.toEmail();
    MailClient client = MailClient.create(deps.vertx(), mailConfig(e, ch.timeout(), deps));
    return new EmailChannel(client, e.fromEmail(), to);
  }

  /** The transport settings; pure so the port → TLS mode rule is testable without a server. */
  static MailConfig mailConfig(EmailConfig e, Duration timeout, ChannelDeps deps) {
    MailConfig mc = new MailConfig().setHostname(e.smtpHost()).setPort(e.smtpPort())
        .setOwnHostname(deps.ehloName())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
        .setIdleTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds() + 1)))
        .setKeepAlive(false);
    if (!e.useTls()) {
      mc.setSsl(false).setStarttls(StartTLSOptions.DISABLED);
    } else if (e.smtpPort() == IMPLICIT_TLS_PORT) {
      mc.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
    } else {
      mc.setSsl(false).setStarttls(StartTLSOptions.REQUIRED);
    }
    if (e.useTls()) {
      mc.setHostnameVerificationAlgorithm("HTTPS");
      if (deps.mailTrust() != null) mc.setTrustOptions(deps.mailTrust());
    }
    if (e.smtpUsername() != null && !e.smtpUsername().isBlank()) {
      mc.setLogin(LoginOption.REQUIRED).setUsername(e.smtpUsername()).setPassword(e.smtpPassword());
    } else {
      mc.setLogin(LoginOption.DISABLED);
    }
    return mc;
  }

  @Override public String type() { return "email"; }

  @Override
  public Future<SendResult> send(AlertMessage m, Duration timeout) {
    MailMessage mail = new MailMessage().setFrom(from).setTo(to).setSubject(SUBJECT).setText(m.text());
    return client.sendMail(mail).map(r -> SendResult.success()).otherwise(EmailChannel::classify);
  }

  /** SMTP 5xx replies are permanent (bad credentials, rejected recipient), 4xx transient. */
  static SendResult classify(Throwable t) {
    if (t instanceof SMTPException s) {
      String what = "SMTP " + s.getReplyCode();
      return s.isPermanent() ? SendResult.permanent(what) : SendResult.retryable(what);
    }
    if (t.getMessage() != null && t.getMessage().contains("STARTTLS")) {
      // The server does not offer STARTTLS: sending in plain text instead would expose the password.
      return SendResult.permanent("STARTTLS not offered by server");
    }
    return HttpOutcomes.fromFailure(t);
  }

  @Override public Future<Void> close() { return client.close(); }
}
