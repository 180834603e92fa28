package io.panicmode.alert.channel;

import java.time.Duration;

/**
 * Outcome of one send attempt on one channel.
 *
 * @param ok         the channel accepted the message
 * @param retryable  on failure: whether sending the same message again could succeed (5xx, 429,
 *                   timeouts, refused connections) or not (4xx, bad credentials, TLS failures)
 * @param retryAfter on a 429: how long the service asked us to wait; null otherwise
 * @param error      a short description that never contains secrets ("HTTP 500", "timeout")
 */
public record SendResult(boolean ok, boolean retryable, Duration retryAfter, String error) {
  private static final SendResult OK = new SendResult(true, false, null, "");

  public static SendResult success() { return OK; }

  public static SendResult retryable(String error) { return new SendResult(false, true, null, error); }

  public static SendResult permanent(String error) { return new SendResult(false, false, null, error); }

  public static SendResult throttled(Duration retryAfter, String error) {
    return new SendResult(false, true, retryAfter, error);
  }
}
