package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.IntegrationsConfig;
import io.panicmode.config.NtfyConfig;
import io.panicmode.contracts.Severity;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * ntfy: POST the text to {@code <server>/<topic>}. Priority follows severity (critical 5,
 * warning 4, info 3). The body stays plain text (no {@code Markdown} header); ntfy turns bodies
 * over 4096 bytes into attachments, so the text is cut below that.
 */
final class NtfyChannel implements AlertChannel {
  static final int MAX_BYTES = 4000;

  private final ChannelDeps deps;
  private final String url;
  private final String token;

  NtfyChannel(ChannelDeps deps, String server, String topic, String token) {
    this.deps = deps;
    this.url = TelegramChannel.stripSlash(server) + "/" + URLEncoder.encode(topic, StandardCharsets.UTF_8).replace("+", "%20");
    this.token = token;
  }

  static AlertChannel fromConfig(ChannelDeps deps, AlertChannelConfig ch, IntegrationsConfig in) {
    NtfyConfig n = in.ntfy();
    if (n == null || !n.enabled()) return null;
    String topic = ch.topic() != null && !ch.topic().isBlank() ? ch.topic() : n.topic();
    return new NtfyChannel(deps, n.server(), topic, n.token());
  }

  @Override public String type() { return "ntfy"; }

  static int priority(Severity s) {
    return switch (s) {
      case CRITICAL -> 5;
      case WARNING -> 4;
      case INFO -> 3;
    };
  }

  @Override
  public Future<SendResult> send(AlertMessage m, Duration timeout) {
    HttpRequest<Buffer> req = deps.http().postAbs(url).timeout(timeout.toMillis())
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Title", "PanicMode " + m.severity().display())
        .putHeader("Priority", String.valueOf(priority(m.severity())));
    if (token != null && !token.isBlank()) req.bearerTokenAuthentication(token);
    return req.sendBuffer(Buffer.buffer(Texts.cutUtf8(m.text(), MAX_BYTES)))
        .map(r -> HttpOutcomes.fromResponse(r, deps.clock()))
        .otherwise(HttpOutcomes::fromFailure);
  }
}
