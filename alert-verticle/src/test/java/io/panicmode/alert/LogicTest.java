package io.panicmode.alert;

import io.panicmode.runtime.Backoff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PanicConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure pieces: backoff, rate window, Retry-After, redaction, server label, outbox path. */
class LogicTest {
  @TempDir Path dir;

  @Test
  void backoffGrowsExponentiallyWithJitterAndCap() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      long d0 = b.delay(0, r).toMillis();
      long d2 = b.delay(2, r).toMillis();
      long d9 = b.delay(9, r).toMillis();
      assertTrue(d0 >= 50 && d0 <= 100, "attempt 0: " + d0);
      assertTrue(d2 >= 200 && d2 <= 400, "attempt 2: " + d2);
      assertTrue(d9 >= 500 && d9 <= 1000, "capped: " + d9);
    }
    long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> b.delay(3, r).toMillis()).distinct().count();
    assertTrue(distinct > 10, "jitter spreads retries");
  }

  @Test
  void rateWindowAdmitsThresholdPerMinute() {
    RateWindow w = new RateWindow(3, 60_000);
    assertTrue(w.tryAcquire(0));
    assertTrue(w.tryAcquire(10));
    assertTrue(w.tryAcquire(20));
    assertFalse(w.tryAcquire(30));
    assertFalse(w.tryAcquire(59_999));
    assertTrue(w.tryAcquire(60_000), "the first send has left the window");
    assertFalse(w.tryAcquire(60_001));
  }

  @Test
  void retryAfterSecondsDecimalsAndDates() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    assertEquals(Duration.ofSeconds(5), io.panicmode.alert.channel.HttpOutcomes.parseRetryAfter("5", clock));
    assertEquals(Duration.ofMillis(1500), io.panicmode.alert.channel.HttpOutcomes.parseRetryAfter("1.5", clock));
    assertEquals(Duration.ofSeconds(30),
        io.panicmode.alert.channel.HttpOutcomes.parseRetryAfter("Fri, 27 Nov 2026 12:00:30 GMT", clock));
    assertEquals(Duration.ZERO, io.panicmode.alert.channel.HttpOutcomes.parseRetryAfter("Fri, 27 Nov 2026 11:00:00 GMT", clock));
    assertEquals(Duration.ofHours(1), io.panicmode.alert.channel.HttpOutcomes.parseRetryAfter("99999999", clock));
    assertNull(io.panicmode.alert.channel.HttpOutcomes.parseRetryAfter("soon", clock));
    assertNull(io.panicmode.alert.channel.HttpOutcomes.parseRetryAfter(null, clock));
  }

  @Test
  void redactorMasksEverySecretOfTheConfig() throws Exception {
    PanicConfig c = Harness.config(dir, """
        integrations:
          telegram: {bot_token: "111:tg-token", chat_id: "1"}
          ntfy: {token: "ntfy-token"}
          twilio: {account_sid: "ACsid123", auth_token: "twtoken", from_number: "+1555"}
        alerts:
          critical:
            - channel: webhook
              webhook_url: "https://hooks.example.com/T0/secret-path"
        """);
    Redactor r = Redactor.of(c);
    String in = "a 111:tg-token b ntfy-token c ACsid123:twtoken d https://hooks.example.com/T0/secret-path e "
        + java.util.Base64.getEncoder().encodeToString("ACsid123:twtoken".getBytes());
    String out = r.apply(in);
    for (String s : List.of("tg-token", "ntfy-token", "ACsid123", "twtoken", "secret-path", "QUNzaWQxMjM6")) {
      assertFalse(out.contains(s), s + " in " + out);
    }
    assertTrue(out.startsWith("a <redacted> b <redacted> c <redacted>:<redacted> d <redacted> e <redacted>"), out);
  }

  @Test
  void serverLabelPrefersEnvThenIpv4ThenIpv6() throws Exception {
    assertEquals("edge-1", ServerLabel.resolve(Map.of(ServerLabel.ENV, " edge-1 ")));
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    InetAddress ll = InetAddress.getByName("fe80::1");
    InetAddress v6 = InetAddress.getByName("2001:db8::5");
    InetAddress v4 = InetAddress.getByName("192.0.2.10");
    assertEquals("192.0.2.10", ServerLabel.primary(List.of(lo, ll, v6, v4)));
    assertEquals("2001:db8:0:0:0:0:0:5", ServerLabel.primary(List.of(lo, ll, v6)));
    assertEquals("unknown", ServerLabel.primary(List.of(lo, ll)));
  }

  @Test
  void outboxPathDefaultsNextToTheIncidentDb() throws Exception {
    PanicConfig c = Harness.config(dir, "");
    assertEquals(dir.resolve("alert_outbox.db").toAbsolutePath(), AlertVerticle.outboxPath(c).toAbsolutePath());
    PanicConfig d = Harness.config(dir, "delivery:\n  outbox_db: \"/x/y.db\"\n");
    assertEquals(Path.of("/x/y.db"), AlertVerticle.outboxPath(d));
  }

  @Test
  void digestKeyDependsOnMembers() {
    assertEquals(ChannelLane.digestKey(List.of("a", "b")), ChannelLane.digestKey(List.of("a", "b")));
    assertFalse(ChannelLane.digestKey(List.of("a", "b")).equals(ChannelLane.digestKey(List.of("ab"))));
  }
}
