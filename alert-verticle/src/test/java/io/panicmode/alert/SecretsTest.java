package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.Severity;
import io.panicmode.runtime.NodeContext;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One test over every channel: each is configured with a distinctive secret and made to fail in
 * a different way (timeout, 500, 401, 429, refused, SMTP refused), which is where the Rust daemon
 * leaked tokens through error URLs. No secret may appear in logs, stderr, metrics or replies.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SecretsTest {
  static final List<String> SECRETS = List.of("777001:TG-SECRET-abc", "DISCORD-SECRET-xyz", "NTFY-SECRET-tok",
      "MAIL-SECRET-pw", "HOOK-SECRET-q", "ACTWILIO-SID-SECRET", "TWILIO-TOKEN-SECRET");

  @TempDir Path dir;

  @Test
  void noSecretInLogsStderrMetricsOrReplies(Vertx vertx) throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    NetServer refused = vertx.createNetServer().connectHandler(so -> so.close()).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get();
    int closedPort = refused.actualPort();
    refused.close().toCompletionStage().toCompletableFuture().get();
    Harness.Captured err = new Harness.Captured();
    try (FakeHttp hang = FakeHttp.start(vertx); FakeHttp fail = FakeHttp.start(vertx)) {
      hang.otherwise(r -> FakeHttp.Reply.hanging());
      fail.otherwise(r -> switch (r.path().split("/")[1]) {
        case "api" -> FakeHttp.Reply.status(500);
        case "topic" -> FakeHttp.Reply.status(401);
        default -> r.path().endsWith("Calls.json") ? FakeHttp.Reply.withHeader(429, "Retry-After", "7200")
            : FakeHttp.Reply.status(503);
      });
      PanicConfig c = Harness.config(dir, """
          integrations:
            telegram:
              bot_token: "777001:TG-SECRET-abc"
              chat_id: "1"
              api_base_url: "%1$s"
            discord:
              webhook_url: "%2$s/api/webhooks/1/DISCORD-SECRET-xyz"
            ntfy:
              server: "%2$s"
              topic: "topic"
              token: "NTFY-SECRET-tok"
            email:
              smtp_host: "127.0.0.1"
              smtp_port: %3$d
              smtp_username: "panic"
              smtp_password: "MAIL-SECRET-pw"
              from_email: "a@example.com"
              to_email: "b@example.com"
              use_tls: false
            twilio:
              account_sid: "ACTWILIO-SID-SECRET"
              auth_token: "TWILIO-TOKEN-SECRET"
              from_number: "+15550000000"
              api_base_url: "%2$s"
          alerts:
            critical:
              - channel: telegram
                retries: 1
                timeout: 300ms
              - channel: discord
                retries: 1
              - channel: ntfy
              - channel: email
                retries: 1
                timeout: 1s
              - channel: webhook
                webhook_url: "http://127.0.0.1:%3$d/hook?token=HOOK-SECRET-q"
                retries: 1
              - channel: twilio_sms
                retries: 1
                contacts: [{name: A, phone: "+15551112222"}]
              - channel: twilio_call
                contacts: [{name: A, phone: "+15551112222"}]
          """.formatted(hang.base(), fail.base(), closedPort));
      NodeContext ctx = Harness.ctx(c);
      String dep = Harness.deploy(vertx, new AlertVerticle(ctx, Harness.tuning(err.stream)));
      Harness.send(vertx, Harness.request("s1", Severity.CRITICAL));
      Await.until("the ALERT LOST line", () -> err.text().contains("ALERT LOST"));
      String lost = err.text();
      for (String ch : List.of("telegram: timeout", "discord: HTTP 500", "ntfy: HTTP 401", "email: connection refused",
          "webhook: connection refused", "twilio_sms: HTTP 503", "twilio_call: HTTP 429")) {
        assertTrue(lost.contains(ch), "every channel must have failed (" + ch + "): " + lost);
      }
      String reply;
      try {
        vertx.eventBus().request(Addresses.ALERTS, new JsonObject().put("v", 1).put("nonsense", "HOOK-SECRET-q"))
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        reply = "";
      } catch (ExecutionException e) {
        reply = ((ReplyException) e.getCause()).getMessage();
      }
      Harness.undeploy(vertx, dep);

      StringBuilder all = new StringBuilder(lost).append('\n').append(ctx.metrics().renderPrometheus()).append('\n').append(reply);
      synchronized (logs) {
        for (ILoggingEvent e : logs.list) {
          all.append(e.getFormattedMessage()).append('\n');
          if (e.getThrowableProxy() != null) all.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
        }
      }
      assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("on telegram")), "logs were captured");
      for (String s : SECRETS) assertFalse(all.toString().contains(s), "secret leaked: " + s + "\n" + all);
    } finally {
      root.detachAppender(logs);
    }
  }
}
