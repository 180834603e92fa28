package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.IntegrationsConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Generic webhook: POST JSON with {@code text} (as the Rust daemon sent) plus the structured
 * data, so receivers never parse the text: {@code incident} (the full incident) for a single
 * alert, or {@code digest} (counts per rule, every alert id, the first incidents in full).
 * {@code Idempotency-Key} lets receivers drop the duplicate an at-least-once retry can cause.
 */
final class WebhookChannel implements AlertChannel {
  private final ChannelDeps deps;
  private final String url;

  WebhookChannel(ChannelDeps deps, String url) {
    this.deps = deps;
    this.url = url;
  }

  static AlertChannel fromConfig(ChannelDeps deps, AlertChannelConfig ch, IntegrationsConfig in) {
    if (ch.webhookUrl() == null || ch.webhookUrl().isBlank()) return null;
    return new WebhookChannel(deps, ch.webhookUrl());
  }

  @Override public String type() { return "webhook"; }

  static JsonObject payload(AlertMessage m) {
    JsonObject body = new JsonObject().put("text", m.text()).put("id", m.key()).put("severity", m.severity().wire());
    if (m.isDigest()) {
      body.put("digest", m.digest());
    } else {
      body.put("incident", m.incidents().get(0).toJson());
    }
    return body;
  }

  @Override
  public Future<SendResult> send(AlertMessage m, Duration timeout) {
    return deps.http().postAbs(url).timeout(timeout.toMillis())
        .putHeader("Idempotency-Key", m.key())
        .sendJsonObject(payload(m))
        .map(r -> HttpOutcomes.fromResponse(r, deps.clock()))
        .otherwise(HttpOutcomes::fromFailure);
  }
}
