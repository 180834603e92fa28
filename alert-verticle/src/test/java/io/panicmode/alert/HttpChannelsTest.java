package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HTTP channel end to end: an AlertRequest on the event bus reaches a real HTTP server on
 * 127.0.0.1 standing in for the service, which checks method, path, headers and body. The
 * incident details carry attacker-style text (markup, mentions, TwiML, header lines) that must
 * arrive as inert plain text.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HttpChannelsTest {
  static final String HOSTILE = "user <b>root</b> *x* @everyone [click](http://evil.example) </Say><Dial>+15550000</Dial> & 'q'\nBcc: evil@example.com";

  @TempDir Path dir;
  Vertx vertx;
  FakeHttp fake;
  Harness.Captured err = new Harness.Captured();
  String deployment;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    fake = FakeHttp.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (deployment != null) Harness.undeploy(vertx, deployment);
    fake.close();
  }

  private void deploy(String yaml) throws Exception {
    PanicConfig c = Harness.config(dir, yaml);
    deployment = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(err.stream)));
  }

  private AlertRequest hostile(Severity s) {
    return AlertRequest.of(Harness.incident("inc-1", "ssh_brute_force", s, HOSTILE, List.of("198.51.100.9")), 1L);
  }

  private static String expectedText(Severity s) {
    return "[" + s.name() + "] ssh_brute_force: ssh_brute_force exceeded threshold: 97.3 > 80.0\n" + HOSTILE
        + " | server: test-server";
  }

  private static Map<String, List<String>> form(String body) {
    return new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters();
  }

  @Test
  void telegramPostsPlainTextToTheBotApi() throws Exception {
    deploy("""
        integrations:
          telegram:
            bot_token: "123456:SECRET-TOKEN"
            chat_id: "-100123"
            api_base_url: "%s/"
        alerts:
          critical:
            - channel: telegram
        """.formatted(fake.base()));
    JsonObject ack = Harness.send(vertx, hostile(Severity.CRITICAL));
    assertEquals(new JsonObject().put("ok", true).put("id", "inc-1:firing"), ack);
    FakeHttp.Req r = fake.next();
    assertEquals("POST", r.method());
    assertEquals("/bot123456:SECRET-TOKEN/sendMessage", r.path());
    assertTrue(r.header("Content-Type").startsWith("application/json"));
    JsonObject body = new JsonObject(r.body());
    assertEquals("-100123", body.getString("chat_id"));
    assertEquals(expectedText(Severity.CRITICAL), body.getString("text"));
    assertFalse(body.containsKey("parse_mode"), "no parse_mode: attacker text must not be read as HTML or Markdown");
    assertTrue(body.getJsonObject("link_preview_options").getBoolean("is_disabled"));
  }

  @Test
  void discordEscapesMarkdownDisablesMentionsAndStaysUnder2000() throws Exception {
    deploy("""
        alerts:
          critical:
            - channel: discord
              webhook_url: "%s/api/webhooks/42/discord-secret"
        """.formatted(fake.base()));
    Harness.send(vertx, hostile(Severity.CRITICAL));
    FakeHttp.Req r = fake.next();
    assertEquals("POST", r.method());
    assertEquals("/api/webhooks/42/discord-secret", r.path());
    assertTrue(r.header("Content-Type").startsWith("application/json"));
    JsonObject body = new JsonObject(r.body());
    String content = body.getString("content");
    assertTrue(content.contains("\\<b\\>root\\<"), content);
    assertTrue(content.contains("\\*x\\*"), content);
    assertTrue(content.contains("\\[click\\]\\(http"), content);
    assertEquals(0, body.getJsonObject("allowed_mentions").getJsonArray("parse").size());
    assertEquals(4, body.getInteger("flags"));

    Incident longOne = Harness.incident("inc-2", "noisy", Severity.CRITICAL, "*".repeat(1500), List.of());
    Harness.send(vertx, AlertRequest.of(longOne, 1L));
    String big = new JsonObject(fake.next().body()).getString("content");
    assertTrue(big.length() <= 2000, "Discord rejects content over 2000 characters, got " + big.length());
    assertTrue(big.endsWith("…"));
  }

  @Test
  void ntfyPostsToServerTopicWithBearerAndPriority() throws Exception {
    deploy("""
        integrations:
          ntfy:
            server: "%s"
            topic: "panicmode"
            token: "tk_ntfysecret"
        alerts:
          warning:
            - channel: ntfy
              topic: "panicmode-warn"
        """.formatted(fake.base()));
    Harness.send(vertx, hostile(Severity.WARNING));
    FakeHttp.Req r = fake.next();
    assertEquals("POST", r.method());
    assertEquals("/panicmode-warn", r.path());
    assertEquals("Bearer tk_ntfysecret", r.header("Authorization"));
    assertEquals("4", r.header("Priority"));
    assertEquals("PanicMode Warning", r.header("Title"));
    assertNull(r.header("Markdown"));
    assertTrue(r.header("Content-Type").startsWith("text/plain"));
    assertEquals(expectedText(Severity.WARNING), r.body());
  }

  @Test
  void webhookCarriesTextAndTheFullIncident() throws Exception {
    deploy("""
        alerts:
          info:
            - channel: webhook
              webhook_url: "%s/hook?key=webhook-secret"
        """.formatted(fake.base()));
    AlertRequest req = hostile(Severity.INFO);
    Harness.send(vertx, req);
    FakeHttp.Req r = fake.next();
    assertEquals("POST", r.method());
    assertEquals("/hook?key=webhook-secret", r.path());
    assertEquals("inc-1:firing", r.header("Idempotency-Key"));
    JsonObject body = new JsonObject(r.body());
    assertEquals(expectedText(Severity.INFO), body.getString("text"));
    assertEquals(req.incident().toJson(), body.getJsonObject("incident"));
    assertEquals(req.incident(), Incident.fromJson(body.getJsonObject("incident")));

    Incident resolved = req.incident().resolved(req.incident().firedAt() + 303_000);
    Harness.send(vertx, AlertRequest.of(resolved, 2L));
    JsonObject rec = new JsonObject(fake.next().body());
    assertEquals("[RECOVERED] ssh_brute_force: recovered after 5m 3s (was: ssh_brute_force exceeded threshold: 97.3 > 80.0)"
        + " | server: test-server", rec.getString("text"));
    assertEquals("resolved", rec.getJsonObject("incident").getString("state"));
  }

  private static final String TWILIO = """
      integrations:
        twilio:
          account_sid: "ACsecretsid"
          auth_token: "twilio-secret-token"
          from_number: "+15551234567"
          api_base_url: "%s"
      alerts:
        critical:
          - channel: %s
            contacts:
              - name: Alice
                phone: "+15559876543"
              - name: Bob
                phone: "+15550001111"
      """;

  @Test
  void twilioSmsTextsEveryContactWithBasicAuth() throws Exception {
    deploy(TWILIO.formatted(fake.base(), "twilio_sms"));
    Harness.send(vertx, hostile(Severity.CRITICAL));
    String basic = "Basic " + Base64.getEncoder().encodeToString("ACsecretsid:twilio-secret-token".getBytes(StandardCharsets.UTF_8));
    for (String phone : List.of("+15559876543", "+15550001111")) {
      FakeHttp.Req r = fake.next();
      assertEquals("POST", r.method());
      assertEquals("/2010-04-01/Accounts/ACsecretsid/Messages.json", r.path());
      assertEquals(basic, r.header("Authorization"));
      assertTrue(r.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
      Map<String, List<String>> f = form(r.body());
      assertEquals(List.of(phone), f.get("To"));
      assertEquals(List.of("+15551234567"), f.get("From"));
      assertEquals(List.of(expectedText(Severity.CRITICAL)), f.get("Body"));
    }
    fake.expectNothing(300);
  }

  @Test
  void twilioCallSaysXmlEscapedText() throws Exception {
    deploy(TWILIO.formatted(fake.base(), "twilio_call"));
    Harness.send(vertx, hostile(Severity.CRITICAL));
    for (String phone : List.of("+15559876543", "+15550001111")) {
      FakeHttp.Req r = fake.next();
      assertEquals("/2010-04-01/Accounts/ACsecretsid/Calls.json", r.path());
      Map<String, List<String>> f = form(r.body());
      assertEquals(List.of(phone), f.get("To"));
      String twiml = f.get("Twiml").get(0);
      assertTrue(twiml.startsWith("<Response><Say>") && twiml.endsWith("</Say></Response>"), twiml);
      assertFalse(twiml.contains("<Dial>"), "attacker TwiML must be escaped: " + twiml);
      assertTrue(twiml.contains("&lt;/Say&gt;&lt;Dial&gt;+15550000&lt;/Dial&gt; &amp; &apos;q&apos;"), twiml);
      assertEquals(1, twiml.split("<Say>", -1).length - 1);
    }
  }

  @Test
  void twilioRetryReachesOnlyTheContactsStillMissing() throws Exception {
    deploy(TWILIO.formatted(fake.base(), "twilio_sms"));
    fake.then(FakeHttp.Reply.status(201), FakeHttp.Reply.status(503));
    Harness.send(vertx, hostile(Severity.CRITICAL));
    assertEquals(List.of("+15559876543"), form(fake.next().body()).get("To"));
    assertEquals(List.of("+15550001111"), form(fake.next().body()).get("To"));
    assertEquals(List.of("+15550001111"), form(fake.next().body()).get("To"), "the retry goes to Bob only");
    fake.expectNothing(300);
  }

  @Test
  void logChannelWritesThroughTheApplicationLogWithRealLineBreaks() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(io.panicmode.alert.channel.LogChannel.class);
    java.util.concurrent.CompletableFuture<ch.qos.logback.classic.spi.ILoggingEvent> logged =
        new java.util.concurrent.CompletableFuture<>();
    ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.AppenderBase<>() {
      @Override protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) { logged.complete(e); }
    };
    appender.start();
    logger.addAppender(appender);
    try {
      deploy("""
          alerts:
            critical:
              - channel: log
          """);
      Harness.send(vertx, hostile(Severity.CRITICAL));
      ch.qos.logback.classic.spi.ILoggingEvent e = logged.get(20, TimeUnit.SECONDS);
      assertEquals(ch.qos.logback.classic.Level.WARN, e.getLevel());
      String text = e.getFormattedMessage();
      List<String> lines = text.lines().toList();
      assertTrue(lines.get(0).startsWith("[PANICMODE ALERT] [CRITICAL] ssh_brute_force"), text);
      assertTrue(lines.size() > 1, "the alert's line breaks are kept: " + text);
      assertFalse(text.contains("\\n"), "no literal \\n: " + text);
      assertTrue(lines.stream().skip(1).allMatch(l -> l.startsWith("    ")), "continuation lines indented: " + text);
      assertTrue(lines.stream().anyMatch(l -> l.equals("    Bcc: evil@example.com | server: test-server")), text);
      assertFalse(err.text().contains("[PANICMODE ALERT]"), "not on stderr besides the logger: " + err.text());
    } finally {
      logger.detachAppender(appender);
    }
  }
}
