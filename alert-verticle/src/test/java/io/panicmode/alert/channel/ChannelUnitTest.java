package io.panicmode.alert.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.EmailConfig;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Channel pieces without a server: SMTP transport modes, escaping, length limits. */
class ChannelUnitTest {
  private static final ChannelDeps DEPS = new ChannelDeps(null, null, Clock.systemUTC(), "testhost", null);

  private static MailConfig mail(int port, boolean tls, String user) {
    return EmailChannel.mailConfig(new EmailConfig(true, "smtp.example.com", port, user, user == null ? null : "pw",
        "a@example.com", "b@example.com", tls), Duration.ofSeconds(10), DEPS);
  }

  @Test
  void port587IsStartTlsRequired465IsImplicitTlsPlainWhenConfigured() {
    MailConfig m587 = mail(587, true, "u");
    assertEquals(StartTLSOptions.REQUIRED, m587.getStarttls());
    assertFalse(m587.isSsl());
    assertEquals("HTTPS", m587.getHostnameVerificationAlgorithm());
    assertEquals(LoginOption.REQUIRED, m587.getLogin());

    MailConfig m465 = mail(465, true, null);
    assertTrue(m465.isSsl());
    assertEquals(StartTLSOptions.DISABLED, m465.getStarttls());
    assertEquals(LoginOption.DISABLED, m465.getLogin());

    MailConfig plain = mail(25, false, null);
    assertFalse(plain.isSsl());
    assertEquals(StartTLSOptions.DISABLED, plain.getStarttls());

    assertEquals(StartTLSOptions.REQUIRED, mail(2525, true, null).getStarttls(), "any other port with use_tls: STARTTLS");
    assertEquals("testhost", m587.getOwnHostname());
    assertEquals(java.util.List.of("a@example.com", "b@example.com"), EmailChannel.recipients(" a@example.com, b@example.com,"));
  }

  @Test
  void xmlEscapeAndDiscordEscape() {
    assertEquals("&lt;Dial&gt;&amp;&quot;&apos;ok", TwilioCallChannel.xmlEscape("<Dial>&\"'o\u0001k"));
    assertEquals("<Response><Say>a &lt;b&gt;</Say></Response>", TwilioCallChannel.twiml("a <b>"));
    assertEquals("\\*bold\\* \\_x\\_ \\[l\\]\\(u\\) \\<@1\\>", DiscordChannel.escape("*bold* _x_ [l](u) <@1>"));
  }

  @Test
  void cutsNeverSplitSurrogatesAndRespectUtf8Bytes() {
    String s = "ab\uD83D\uDE00cd";
    assertEquals("ab…", Texts.cut(s, 4));
    assertEquals(s, Texts.cut(s, 6));
    String cut = Texts.cutUtf8("é".repeat(3000), 4000);
    assertTrue(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 4000);
    assertTrue(cut.endsWith("…"));
    assertEquals(5, NtfyChannel.priority(io.panicmode.contracts.Severity.CRITICAL));
    assertEquals(3, NtfyChannel.priority(io.panicmode.contracts.Severity.INFO));
  }

  @Test
  void transportErrorsNameNoUrl() {
    SendResult r = HttpOutcomes.fromFailure(new java.net.ConnectException("Connection refused: /127.0.0.1:1 GET /bot123:SECRET/x"));
    assertEquals("connection refused", r.error());
    assertTrue(r.retryable());
    SendResult t = HttpOutcomes.fromFailure(new RuntimeException("wrapped", new java.util.concurrent.TimeoutException("POST /bot1:SECRET")));
    assertEquals("timeout", t.error());
    assertFalse(HttpOutcomes.fromFailure(new javax.net.ssl.SSLHandshakeException("bad cert")).retryable());
  }
}
