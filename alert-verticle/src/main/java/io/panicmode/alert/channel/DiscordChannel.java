package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.DiscordConfig;
import io.panicmode.config.IntegrationsConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Discord webhook. Discord rejects {@code content} over 2000 characters, so the text is cut
 * after escaping. Markdown characters are escaped, mentions are disabled
 * ({@code allowed_mentions.parse = []}) and link embeds suppressed (flag 4), so attacker text
 * can neither format the message nor ping {@code @everyone}.
 */
final class DiscordChannel implements AlertChannel {
  static final int MAX_CONTENT = 2000;
  private static final int SUPPRESS_EMBEDS = 1 << 2;
  private static final String MARKDOWN = "\\*_~`|>#[]()<";

  private final ChannelDeps deps;
  private final String webhookUrl;

  DiscordChannel(ChannelDeps deps, String webhookUrl) {
    this.deps = deps;
    this.webhookUrl = webhookUrl;
  }

  static AlertChannel fromConfig(ChannelDeps deps, AlertChannelConfig ch, IntegrationsConfig in) {
    DiscordConfig d = in.discord();
    if (d != null && !d.enabled()) return null;
    String url = ch.webhookUrl() != null && !ch.webhookUrl().isBlank() ? ch.webhookUrl() : d == null ? null : d.webhookUrl();
    if (url == null || url.isBlank()) return null;
    return new DiscordChannel(deps, url);
  }

  @Override public String type() { return "discord"; }

  @Override
  public Future<SendResult> send(AlertMessage m, Duration timeout) {
    JsonObject body = new JsonObject()
        .put("content", Texts.cut(escape(m.text()), MAX_CONTENT))
        .put("allowed_mentions", new JsonObject().put("parse", new JsonArray()))
        .put("flags", SUPPRESS_EMBEDS);
    return deps.http().postAbs(webhookUrl).timeout(timeout.toMillis()).sendJsonObject(body)
        .map(r -> HttpOutcomes.fromResponse(r, deps.clock()))
        .otherwise(HttpOutcomes::fromFailure);
  }

  /** Backslash before every character Discord's Markdown would interpret. */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (MARKDOWN.indexOf(c) >= 0) sb.append('\\');
      sb.append(c);
    }
    return sb.toString();
  }
}
