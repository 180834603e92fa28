package io.panicmode.alert.channel;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * One way of reaching people. Implementations are plain senders: retries, backoff, breakers,
 * digests and metrics wrap them from outside (see {@code ChannelLane}).
 *
 * <p>Obligations of {@link #send}:
 * <ul>
 *   <li>never throws and never fails the future: every outcome is a {@link SendResult};</li>
 *   <li>gives up within about {@code timeout} (the caller also enforces it);</li>
 *   <li>says whether a retry can help ({@link SendResult#retryable()});</li>
 *   <li>never puts a secret (token, password, account SID, secret URL) into the result;</li>
 *   <li>sends the text as plain text: nothing in it may be read as markup, mentions or headers.</li>
 * </ul>
 * Called on the verticle's event loop.
 */
public interface AlertChannel {
  /** The channel type, lower case ({@code telegram}, ...). */
  String type();

  Future<SendResult> send(AlertMessage message, Duration timeout);

  /** Releases clients this channel owns. */
  default Future<Void> close() { return Future.succeededFuture(); }
}
