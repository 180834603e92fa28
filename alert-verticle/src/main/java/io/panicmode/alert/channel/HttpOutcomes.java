package io.panicmode.alert.channel;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Maps HTTP responses and transport errors to {@link SendResult}s. Error texts are built from
 * the status code or the exception type only: exception messages of HTTP clients can carry the
 * request URL, and several services (Telegram, Discord, webhooks) put the secret in the URL.
 */
public final class HttpOutcomes {
  private HttpOutcomes() {}

  /** Longest Retry-After taken from a header; longer waits are capped (the caller may fail over instead). */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}(\\.[0-9]{1,6})?");

  /** Delta-seconds as Discord and Telegram send them: an integer or a decimal ("1.5"). */
  static Duration seconds(String v) {
    if (!SECONDS.matcher(v).matches()) return null;
    double secs = Double.parseDouble(v);
    if (secs >= MAX_RETRY_AFTER.toSeconds()) return MAX_RETRY_AFTER;
    return Duration.ofMillis((long) Math.ceil(secs * 1000));
  }

  public static SendResult fromResponse(HttpResponse<Buffer> response, Clock clock) {
    int s = response.statusCode();
    if (s >= 200 && s < 300) return SendResult.success();
    if (s == 429) {
      return SendResult.throttled(parseRetryAfter(response.getHeader("Retry-After"), clock), "HTTP 429");
    }
    if (s >= 500 || s == 408) return SendResult.retryable("HTTP " + s);
    return SendResult.permanent("HTTP " + s);
  }

  /** A transport failure: refused, reset, timed out, TLS. */
  public static SendResult fromFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) return SendResult.permanent("TLS failure");
      if (c instanceof ConnectException || c instanceof NoRouteToHostException) return SendResult.retryable("connection refused");
      if (c instanceof UnknownHostException) return SendResult.retryable("unknown host");
      if (c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
        return SendResult.retryable("timeout");
      }
    }
    return SendResult.retryable("transport error (" + t.getClass().getSimpleName() + ")");
  }

  /**
   * {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable (the
   * caller then uses its own backoff). Negative or past values mean "now".
   */
  public static Duration parseRetryAfter(String header, Clock clock) {
    if (header == null) return null;
    String v = header.trim();
    if (v.isEmpty() || v.length() > 64) return null;
    if (SECONDS.matcher(v).matches()) return seconds(v);

    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      if (d.isNegative()) return Duration.ZERO;
      return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
