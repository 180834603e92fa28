package io.panicmode.alert.channel;

import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.IntegrationsConfig;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Writes the alert as one line to stderr, which systemd puts into the journal. One line per
 * alert (newlines shown as {@code \n}) so journal readers and grep see whole alerts.
 */
public final class LogChannel implements AlertChannel {
  private final PrintStream out;

  LogChannel(PrintStream out) { this.out = out; }

  static AlertChannel fromConfig(ChannelDeps deps, AlertChannelConfig ch, IntegrationsConfig in) {
    return new LogChannel(deps.stderr());
  }

  @Override public String type() { return "log"; }

  @Override
  public Future<SendResult> send(AlertMessage m, Duration timeout) {
    out.println("[PANICMODE ALERT] " + oneLine(m.text()));
    out.flush();
    return Future.succeededFuture(out.checkError() ? SendResult.retryable("stderr not writable") : SendResult.success());
  }

  public static String oneLine(String text) {
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
  }
}
