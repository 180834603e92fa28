package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Severity;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The email channel against GreenMail (plain SMTP) and an in-JVM STARTTLS server. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class EmailChannelTest {
  /** A line that would add a recipient if it ever reached the header section. */
  static final String INJECTION = "root\r\nBcc: evil@example.com\r\n\r\n.\r\nMAIL FROM:<x@example.com>";

  @TempDir Path dir;
  Harness.Captured err = new Harness.Captured();
  GreenMail greenMail;
  String deployment;

  @AfterEach
  void tearDown(Vertx vertx) throws Exception {
    if (deployment != null) Harness.undeploy(vertx, deployment);
    if (greenMail != null) greenMail.stop();
  }

  private AlertRequest alert() {
    return AlertRequest.of(Harness.incident("mail-1", "ssh_brute_force", Severity.CRITICAL, "user " + INJECTION,
        List.of("203.0.113.7")), 1L);
  }

  private static String emailYaml(String host, int port, boolean tls, String auth) {
    return emailYaml(host, port, tls, auth, "5s");
  }

  /** A TLS handshake on a loaded 2-core machine can take seconds: the STARTTLS test allows 30 s. */
  private static String emailYaml(String host, int port, boolean tls, String auth, String timeout) {
    return """
        integrations:
          email:
            smtp_host: "%s"
            smtp_port: %d
            from_email: "panicmode@example.com"
            to_email: "alerts@example.com"
            use_tls: %s
        %s
        alerts:
          critical:
            - channel: email
              retries: 0
              timeout: %s
        """.formatted(host, port, tls, auth, timeout);
  }

  @Test
  void plainSmtpDeliversSubjectAndBodyAndNoInjectedRecipient(Vertx vertx) throws Exception {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
    greenMail.start();
    PanicConfig c = Harness.config(dir, emailYaml("127.0.0.1", greenMail.getSmtp().getPort(), false, ""));
    deployment = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(err.stream)));
    Harness.send(vertx, alert());
    assertTrue(greenMail.waitForIncomingEmail(10_000, 1), "mail not received");
    MimeMessage[] got = greenMail.getReceivedMessages();
    assertEquals(1, got.length);
    MimeMessage m = got[0];
    assertEquals("PanicMode Alert", m.getSubject());
    assertEquals("panicmode@example.com", m.getFrom()[0].toString());
    List<String> rcpts = Arrays.stream(m.getAllRecipients()).map(Address::toString).toList();
    assertEquals(List.of("alerts@example.com"), rcpts);
    assertEquals(null, m.getHeader("Bcc"));
    String body = String.valueOf(m.getContent()).replace("\r\n", "\n");
    assertTrue(body.startsWith("[CRITICAL] ssh_brute_force: ssh_brute_force exceeded threshold: 97.3 > 80.0\nuser root"), body);
    assertTrue(body.contains("Bcc: evil@example.com"), "the text stays in the body: " + body);
    assertTrue(body.contains("MAIL FROM:<x@example.com>"), body);
    assertTrue(body.strip().endsWith("| server: test-server"), body);
  }

  @Test
  void startTlsIsUsedBeforeCredentialsTravel(Vertx vertx) throws Exception {
    try (StartTlsSmtp smtp = StartTlsSmtp.start(vertx)) {
      PanicConfig c = Harness.config(dir, emailYaml("localhost", smtp.port(), true, """
                smtp_username: "panic"
                smtp_password: "mail-secret-pw"
            """, "30s"));
      deployment = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c),
          Harness.tuning(err.stream).withMailTrust(smtp.trust())));
      Harness.send(vertx, alert());
      Await.until("the message's DATA", () -> smtp.events.stream().anyMatch(e -> e.startsWith("DATA")));
      List<String> ev = List.copyOf(smtp.events);
      assertFalse(err.text().contains("LOST"), err.text());
      assertEquals("EHLO", ev.get(0), ev.toString());
      assertEquals("STARTTLS", ev.get(1), ev.toString());
      assertEquals("EHLO", ev.get(2), ev.toString());
      assertEquals("AUTH panic mail-secret-pw tls=true", ev.get(3), ev.toString());
      assertTrue(ev.get(4).toUpperCase().startsWith("MAIL FROM:<PANICMODE@EXAMPLE.COM>"), ev.toString());
      assertEquals("RCPT TO:<alerts@example.com>", ev.get(5));
      String data = ev.get(6);
      assertTrue(data.contains("Subject: PanicMode Alert"), data);
      assertFalse(data.lines().anyMatch(l -> l.startsWith("Bcc:") && data.indexOf(l) < data.indexOf("\n\n")),
          "no injected header: " + data);
      assertFalse(err.text().contains("mail-secret-pw"));
    }
  }

  @Test
  void tlsRequiredNeverFallsBackToPlainText(Vertx vertx) throws Exception {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
    greenMail.start();
    PanicConfig c = Harness.config(dir, emailYaml("127.0.0.1", greenMail.getSmtp().getPort(), true, """
              smtp_username: "panic"
              smtp_password: "mail-secret-pw"
          """));
    deployment = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(err.stream)));
    Harness.send(vertx, alert());
    Await.until("the ALERT LOST line", () -> err.text().contains("[PANICMODE ALERT LOST]"));
    assertTrue(err.text().contains("email: STARTTLS not offered by server"), err.text());
    assertEquals(0, greenMail.getReceivedMessages().length, "a server without STARTTLS gets nothing");
    assertFalse(err.text().contains("mail-secret-pw"));
  }
}
