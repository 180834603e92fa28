package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.IntegrationsConfig;
import io.vertx.core.Future;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the alert through the application log (timestamp, level, and the log file when one is
 * configured), at WARN. A multi-line alert keeps its line breaks; every line after the first is
 * indented, so no text inside an alert can pass for a log line of its own.
 */
public final class LogChannel implements AlertChannel {
  private static final Logger LOG = LoggerFactory.getLogger(LogChannel.class);
  private static final String CONTINUATION = "\n    ";

  static AlertChannel fromConfig(ChannelDeps deps, AlertChannelConfig ch, IntegrationsConfig in) {
    return new LogChannel();
  }

  @Override public String type() { return "log"; }

  @Override
  public Future<SendResult> send(AlertMessage m, Duration timeout) {
    LOG.warn("[PANICMODE ALERT] {}", indented(m.text()));
    return Future.succeededFuture(SendResult.success());
  }

  /** The text with CR removed and each following line indented. */
  static String indented(String text) {
    return text.replace("\r", "").strip().replace("\n", CONTINUATION);
  }

  /** The text on one line, newlines as {@code \n}: for the stderr line of an alert every channel lost. */
  public static String oneLine(String text) {
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
  }
}
