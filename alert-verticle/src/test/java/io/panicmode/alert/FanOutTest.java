package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.ConfigException;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Severity;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts.mode.<severity>: all} sends to every channel of the list, against two real HTTP
 * receivers on 127.0.0.1; without it the list stays a failover chain.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FanOutTest {
  @TempDir Path dir;

  private static final String TWO_WEBHOOKS = """
      alerts:
        %3$s
        critical:
          - channel: webhook
            webhook_url: "%1$s/first"
            retries: 0
          - channel: webhook
            webhook_url: "%2$s/second"
            retries: 0
      """;

  @Test
  void byDefaultTheListIsAFailoverChain(Vertx vertx) throws Exception {
    try (FakeHttp a = FakeHttp.start(vertx); FakeHttp b = FakeHttp.start(vertx)) {
      PanicConfig c = Harness.config(dir, TWO_WEBHOOKS.formatted(a.base(), b.base(), ""));
      String dep = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(new Harness.Captured().stream)));
      Harness.send(vertx, Harness.request("c1", Severity.CRITICAL));
      assertEquals("/first", a.next().path());
      b.expectNothing(500);
      Harness.undeploy(vertx, dep);
    }
  }

  @Test
  void modeAllDeliversToEveryChannel(Vertx vertx) throws Exception {
    try (FakeHttp a = FakeHttp.start(vertx); FakeHttp b = FakeHttp.start(vertx)) {
      PanicConfig c = Harness.config(dir, TWO_WEBHOOKS.formatted(a.base(), b.base(), "mode: {critical: all}"));
      String dep = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(new Harness.Captured().stream)));
      Harness.send(vertx, Harness.request("c1", Severity.CRITICAL));
      assertEquals("/first", a.next().path());
      assertEquals("/second", b.next().path());
      a.expectNothing(300);
      b.expectNothing(300);
      Harness.send(vertx, Harness.request("w1", Severity.WARNING));
      a.expectNothing(300);
      Harness.undeploy(vertx, dep);
    }
  }

  @Test
  void aFailingChannelIsRetriedAloneWhileTheOtherIsNotSentTwice(Vertx vertx) throws Exception {
    try (FakeHttp a = FakeHttp.start(vertx); FakeHttp b = FakeHttp.start(vertx)) {
      b.then(FakeHttp.Reply.status(503));
      Harness.Captured err = new Harness.Captured();
      PanicConfig c = Harness.config(dir, TWO_WEBHOOKS.formatted(a.base(), b.base(), "mode: {critical: all}"));
      String dep = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(err.stream)));
      Harness.send(vertx, Harness.request("c1", Severity.CRITICAL));
      assertEquals("/first", a.next().path());
      assertEquals("/second", b.next().path(), "first attempt, answered 503");
      assertEquals("/second", b.next().path(), "the next round retries the channel that failed");
      a.expectNothing(1500);
      b.expectNothing(300);
      assertTrue(!err.text().contains("ALERT LOST"), "one channel delivered, so nothing is lost: " + err.text());
      Harness.undeploy(vertx, dep);
    }
  }

  @Test
  void anUnknownSeverityUnderModeIsAConfigError() {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> Harness.config(dir, "alerts:\n  mode: {critcal: all}\n"));
    assertTrue(e.getMessage().contains("alerts.mode.critcal"), e.getMessage());
    ConfigException bad = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> Harness.config(dir, "alerts:\n  mode: {critical: every}\n"));
    assertTrue(bad.getMessage().contains("alerts.mode.critical") && bad.getMessage().contains("failover, all"), bad.getMessage());
  }
}
