package io.panicmode.alert;

import io.panicmode.runtime.Backoff;
import io.vertx.core.net.TrustOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * Delivery timings and process surroundings that are not config keys. Production uses
 * {@link #defaults()}; tests shorten the waits, capture stderr, pass the environment and trust
 * GreenMail's self-signed certificate.
 *
 * @param retryBackoff  between attempts on one channel (exponential with jitter)
 * @param maxRetryWait  longest wait for a 429 Retry-After inside one delivery; a longer one moves
 *                      on to the next channel and leaves the alert to the outbox rounds
 * @param outboxBackoff between delivery rounds of an alert every channel failed
 * @param pruneInterval how often finished outbox rows older than {@code delivery.outbox_expiry} are deleted
 * @param env           environment ({@code PANICMODE_SERVER_LABEL})
 * @param stderr        where {@code [PANICMODE ALERT LOST]} lines go (the {@code log} channel uses the logger)
 * @param mailTrust     extra SMTP trust; null means the JVM's trust store
 */
public record AlertTuning(Backoff retryBackoff, Duration maxRetryWait, Backoff outboxBackoff, Duration pruneInterval,
                          Map<String, String> env, PrintStream stderr, TrustOptions mailTrust) {

  public static AlertTuning defaults() {
    return new AlertTuning(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)), Duration.ofSeconds(60),
        new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)), Duration.ofHours(1), System.getenv(), System.err, null);
  }

  public AlertTuning withRetryBackoff(Backoff b) {
    return new AlertTuning(b, maxRetryWait, outboxBackoff, pruneInterval, env, stderr, mailTrust);
  }

  public AlertTuning withMaxRetryWait(Duration d) {
    return new AlertTuning(retryBackoff, d, outboxBackoff, pruneInterval, env, stderr, mailTrust);
  }

  public AlertTuning withOutboxBackoff(Backoff b) {
    return new AlertTuning(retryBackoff, maxRetryWait, b, pruneInterval, env, stderr, mailTrust);
  }

  public AlertTuning withEnv(Map<String, String> e) {
    return new AlertTuning(retryBackoff, maxRetryWait, outboxBackoff, pruneInterval, e, stderr, mailTrust);
  }

  public AlertTuning withStderr(PrintStream s) {
    return new AlertTuning(retryBackoff, maxRetryWait, outboxBackoff, pruneInterval, env, s, mailTrust);
  }

  public AlertTuning withMailTrust(TrustOptions t) {
    return new AlertTuning(retryBackoff, maxRetryWait, outboxBackoff, pruneInterval, env, stderr, t);
  }
}
