package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of 1,000 incidents within a minute: each channel sends at most
 * {@code digest_threshold} alerts alone, then one digest per {@code digest_interval}, and the
 * digests account for every incident.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FloodTest {
  static final Pattern DIGEST = Pattern.compile("^\\[(CRITICAL|WARNING)\\] (\\d+) more incidents?: (.*) \\| server: test-server$");

  @TempDir Path dir;

  @Test
  void thousandIncidentsBecomeBoundedMessagesAndEveryOneIsCounted(Vertx vertx) throws Exception {
    try (FakeHttp hook = FakeHttp.start(vertx); FakeHttp telegram = FakeHttp.start(vertx)) {
      PanicConfig c = Harness.config(dir, """
          delivery:
            digest_threshold: 10
            digest_interval: 700ms
          integrations:
            telegram:
              bot_token: "1:flood"
              chat_id: "42"
              api_base_url: "%s"
          alerts:
            critical:
              - channel: webhook
                webhook_url: "%s/hook"
            warning:
              - channel: telegram
          """.formatted(telegram.base(), hook.base()));
      NodeContext ctx = Harness.ctx(c);
      String dep = Harness.deploy(vertx, new AlertVerticle(ctx, Harness.tuning(new Harness.Captured().stream)));
      long t0 = System.nanoTime();
      List<Future<?>> acks = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        boolean critical = i % 2 == 0;
        String rule = i % 10 == 9 ? "high_cpu" : "ssh_brute_force";
        List<String> ips = rule.equals("ssh_brute_force") ? List.of("198.51." + (i / 250) + "." + (i % 250)) : List.of();
        Incident inc = Harness.incident("f" + i, rule, critical ? Severity.CRITICAL : Severity.WARNING, "", ips);
        acks.add(vertx.eventBus().request(Addresses.ALERTS, AlertRequest.of(inc, 1L).toJson()));
      }
      Future.all(acks).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      // Webhook: every id appears once, alone or in a digest's alert_ids.
      Set<String> seen = new HashSet<>();
      int singles = 0;
      int digests = 0;
      while (seen.size() < 500) {
        JsonObject body = new JsonObject(hook.next(15).body());
        if (body.containsKey("digest")) {
          digests++;
          JsonObject d = body.getJsonObject("digest");
          Matcher m = DIGEST.matcher(body.getString("text"));
          assertTrue(m.matches(), body.getString("text"));
          assertEquals(d.getInteger("count"), Integer.parseInt(m.group(2)));
          assertEquals(d.getInteger("count"), d.getJsonArray("alert_ids").size());
          int groupSum = d.getJsonArray("groups").stream().mapToInt(g -> ((JsonObject) g).getInteger("count")).sum();
          assertEquals(d.getInteger("count"), groupSum, "groups account for every incident of the digest");
          for (Object id : d.getJsonArray("alert_ids")) assertTrue(seen.add((String) id), "twice: " + id);
        } else {
          singles++;
          assertTrue(seen.add(body.getString("id")), "twice: " + body.getString("id"));
        }
      }
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(10, singles, "digest_threshold alerts alone per minute");
      assertTrue(digests >= 1 && digests <= 2 + elapsedMs / 700, digests + " digests in " + elapsedMs + " ms");

      // Telegram: the same bound, accounted for through the text alone.
      int counted = 0;
      int messages = 0;
      while (counted < 500) {
        String text = new JsonObject(telegram.next(15).body()).getString("text");
        messages++;
        Matcher m = DIGEST.matcher(text);
        if (m.matches()) {
          counted += Integer.parseInt(m.group(2));
          assertTrue(m.group(3).matches(".*\\d+ × ssh_brute_force \\(\\d+ IPs\\).*"), text);
          assertTrue(m.group(3).contains(" × high_cpu"), text);
        } else {
          assertTrue(text.startsWith("[WARNING] "), text);
          counted++;
        }
      }
      assertEquals(500, counted);
      assertTrue(messages <= 10 + 2 + elapsedMs / 700, messages + " Telegram messages");
      hook.expectNothing(1000);
      telegram.expectNothing(10);
      assertEquals(490, ctx.metrics().counterValue("panicmode_alert_digested_total", "channel", "webhook"));
      assertEquals(490, ctx.metrics().counterValue("panicmode_alert_digested_total", "channel", "telegram"));
      Harness.undeploy(vertx, dep);
    }
  }
}
