package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.IntegrationsConfig;
import io.panicmode.config.TelegramConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Telegram Bot API {@code sendMessage}. No {@code parse_mode}: the text is shown exactly as
 * written, so user names or process names from attackers cannot inject markup or links; link
 * previews are off for the same reason. The bot token lives in the URL path, which is why no
 * URL ever reaches an error text.
 */
final class TelegramChannel implements AlertChannel {
  static final int MAX_TEXT = 4096;
  static final String DEFAULT_API = "https://api.telegram.org";

  private final ChannelDeps deps;
  private final String url;
  private final String chatId;

  TelegramChannel(ChannelDeps deps, String apiBaseUrl, String botToken, String chatId) {
    this.deps = deps;
    this.url = stripSlash(apiBaseUrl == null ? DEFAULT_API : apiBaseUrl) + "/bot" + botToken + "/sendMessage";
    this.chatId = chatId;
  }

  static AlertChannel fromConfig(ChannelDeps deps, AlertChannelConfig ch, IntegrationsConfig in) {
    TelegramConfig t = in.telegram();
    if (t == null || !t.enabled()) return null;
    String chat = ch.chatId() != null && !ch.chatId().isBlank() ? ch.chatId() : t.chatId();
    return new TelegramChannel(deps, t.apiBaseUrl(), t.botToken(), chat);
  }

  @Override public String type() { return "telegram"; }

  @Override
  public Future<SendResult> send(AlertMessage m, Duration timeout) {
    JsonObject body = new JsonObject()
        .put("chat_id", chatId)
        .put("text", Texts.cut(m.text(), MAX_TEXT))
        .put("link_preview_options", new JsonObject().put("is_disabled", true));
    return deps.http().postAbs(url).timeout(timeout.toMillis()).sendJsonObject(body)
        .map(r -> {
          SendResult res = HttpOutcomes.fromResponse(r, deps.clock());
          if (r.statusCode() == 429 && res.retryAfter() == null) {
            // Telegram states the wait in the body: {"parameters": {"retry_after": N}}.
            Duration d = bodyRetryAfter(r.bodyAsString());
            if (d != null) return SendResult.throttled(d, res.error());
          }
          return res;
        })
        .otherwise(HttpOutcomes::fromFailure);
  }

  private static Duration bodyRetryAfter(String body) {
    if (body == null || body.length() > 4096) return null;
    try {
      JsonObject params = new JsonObject(body).getJsonObject("parameters");
      Object v = params == null ? null : params.getValue("retry_after");
      return v instanceof Number n ? HttpOutcomes.seconds(String.valueOf(n.longValue())) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String stripSlash(String base) {
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
