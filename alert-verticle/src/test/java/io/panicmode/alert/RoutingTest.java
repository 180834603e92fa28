package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Severity;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Severity routing: each severity's list, disabled integrations skipped, unrouted critical alerts reported. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RoutingTest {
  @TempDir Path dir;

  @Test
  void severitiesFollowTheirListsAndDisabledIntegrationsAreSkipped(Vertx vertx) throws Exception {
    Harness.Captured err = new Harness.Captured();
    try (FakeHttp fake = FakeHttp.start(vertx)) {
      PanicConfig c = Harness.config(dir, """
          integrations:
            telegram:
              enabled: false
              bot_token: "1:off"
              chat_id: "1"
              api_base_url: "%1$s"
          alerts:
            critical:
              - channel: telegram
              - channel: webhook
                webhook_url: "%1$s/critical"
            warning:
              - channel: webhook
                webhook_url: "%1$s/warning"
          """.formatted(fake.base()));
      String dep = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(err.stream)));
      Harness.send(vertx, Harness.request("c", Severity.CRITICAL));
      assertEquals("/critical", fake.next().path(), "disabled telegram skipped, webhook next");
      Harness.send(vertx, Harness.request("w", Severity.WARNING));
      assertEquals("/warning", fake.next().path());
      Harness.send(vertx, Harness.request("i", Severity.INFO));
      fake.expectNothing(300);
      assertTrue(err.text().isEmpty(), "info without channels is dropped quietly: " + err.text());
      Harness.undeploy(vertx, dep);
    }
  }

  @Test
  void criticalWithoutAnyChannelIsReportedAsLost(Vertx vertx) throws Exception {
    Harness.Captured err = new Harness.Captured();
    PanicConfig c = Harness.config(dir, "");
    String dep = Harness.deploy(vertx, new AlertVerticle(Harness.ctx(c), Harness.tuning(err.stream)));
    Harness.send(vertx, Harness.request("nochan", Severity.CRITICAL));
    Await.until("the ALERT LOST line", () -> err.text().contains("ALERT LOST"));
    assertTrue(err.text().contains("[PANICMODE ALERT LOST] [CRITICAL] high_cpu")
        && err.text().contains("no channel configured under alerts.critical"), err.text());
    Harness.undeploy(vertx, dep);
  }
}
