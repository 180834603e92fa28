package io.panicmode.alert;

import io.panicmode.alert.channel.AlertChannel;
import io.panicmode.alert.channel.AlertMessage;
import io.panicmode.alert.channel.HttpOutcomes;
import io.panicmode.alert.channel.SendResult;
import io.panicmode.config.AlertChannelConfig;
import io.panicmode.contracts.AlertDelivery;
import io.panicmode.contracts.Incident;
import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.Breaker;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured channel with everything wrapped around it: attempts with exponential backoff
 * and jitter (or the service's Retry-After), a hard per-attempt timeout, a circuit breaker, the
 * per-minute rate above which alerts go into a digest, and its metrics. How each alert fared (attempts,
 * outcome) goes to a {@link DeliveryListener} once its round on this channel ends. Runs on the
 * verticle's event loop.
 */
final class ChannelLane {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelLane.class);
  /** Grace on top of the channel timeout before the lane gives up on an attempt itself. */
  private static final long TIMEOUT_GRACE_MS = 250;
  /** A failing channel logs its first failure, then one summary per window (the metrics count each). */
  private static final long WARNING_WINDOW_MS = 10_000;

  /** Result of a call the breaker refused; identity-compared, it is never retried on this lane. */
  static final SendResult CIRCUIT_OPEN = SendResult.retryable("circuit open");

  private record Member(Pending alert, Promise<SendResult> promise) {}

  /** Told, on the event loop, how one alert's round on one channel ended; must not block. */
  interface DeliveryListener {
    void ended(Pending alert, String channel, int attempts, AlertDelivery.Outcome outcome, String error);
  }

  final String key;
  private final AlertChannel channel;
  private final int retries;
  private final Duration timeout;
  private final Breaker<SendResult> breaker;
  private final RateWindow rate;
  private final Duration digestInterval;
  private final Backoff backoff;
  private final Duration maxRetryWait;
  private final Vertx vertx;
  private final Clock clock;
  private final AlertText text;
  private final Redactor redactor;
  /** Persists a confirmed sub-target (alert id, "lane/contact") as soon as it is reached. */
  private final BiConsumer<String, String> reachedSink;
  private final BurstLog warnings;
  private final DeliveryListener deliveries;

  private final LongAdder sent;
  private final LongAdder failed;
  private final LongAdder retried;
  private final LongAdder digested;
  private final LongAdder digests;

  private List<Member> members = new ArrayList<>();
  private long digestTimer = -1;
  private int inFlight;
  private boolean closed;

  ChannelLane(String key, AlertChannel channel, AlertChannelConfig cfg, Breaker<SendResult> breaker, int digestThreshold,
              Duration digestInterval, AlertTuning tuning, Vertx vertx, Clock clock, AlertText text, Redactor redactor,
              MetricsRegistry metrics, BiConsumer<String, String> reachedSink, DeliveryListener deliveries) {
    this.key = key;
    this.channel = channel;
    this.retries = cfg.retries();
    this.timeout = cfg.timeout();
    this.breaker = breaker;
    this.rate = new RateWindow(digestThreshold, 60_000);
    this.digestInterval = digestInterval;
    this.backoff = tuning.retryBackoff();
    this.maxRetryWait = tuning.maxRetryWait();
    this.vertx = vertx;
    this.clock = clock;
    this.text = text;
    this.redactor = redactor;
    this.reachedSink = reachedSink;
    this.warnings = new BurstLog(LOG::warn, WARNING_WINDOW_MS, (ms, action) -> vertx.setTimer(ms, id -> action.run()));
    this.deliveries = deliveries;
    this.sent = metrics.counter("panicmode_alert_sent_total", "Messages a channel accepted", "channel", key);
    this.failed = metrics.counter("panicmode_alert_failed_total", "Deliveries a channel failed after all attempts", "channel", key);
    this.retried = metrics.counter("panicmode_alert_retried_total", "Repeated attempts on a channel", "channel", key);
    this.digested = metrics.counter("panicmode_alert_digested_total", "Alerts folded into a digest instead of sent alone", "channel", key);
    this.digests = metrics.counter("panicmode_alert_digests_total", "Digest messages sent", "channel", key);
    metrics.gauge("panicmode_alert_queued", "Alerts waiting for or being delivered on a channel", () -> inFlight + members.size(),
        "channel", key);
    metrics.gauge("panicmode_alert_breaker_state", "Channel circuit breaker: 0 closed, 1 half-open, 2 open",
        () -> breakerState(breaker.state()), "channel", key);
  }

  static double breakerState(CircuitBreakerState s) {
    return switch (s) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  String type() { return channel.type(); }

  /**
   * Delivers one alert on this channel: alone while the channel is under its per-minute rate,
   * otherwise in the next digest. An open breaker fails at once, so the caller moves on to the
   * next channel without waiting.
   */
  Future<SendResult> deliver(Pending p) {
    if (closed) return Future.succeededFuture(SendResult.retryable("stopping"));
    if (breaker.state() == CircuitBreakerState.OPEN) {
      deliveries.ended(p, key, 0, AlertDelivery.Outcome.SKIPPED, CIRCUIT_OPEN.error());
      return Future.succeededFuture(CIRCUIT_OPEN);
    }
    inFlight++;
    Future<SendResult> f;
    if (rate.tryAcquire(clock.millis())) {
      f = send(single(p), p, List.of(p), 0);
    } else {
      Promise<SendResult> promise = Promise.promise();
      members.add(new Member(p, promise));
      digested.increment();
      if (digestTimer < 0) digestTimer = vertx.setTimer(digestInterval.toMillis(), id -> flushDigest());
      f = promise.future();
    }
    return f.andThen(ar -> inFlight--);
  }

  private AlertMessage single(Pending p) {
    Incident i = p.request.incident();
    if (p.text == null) p.text = text.single(i);
    Set<String> reached = new HashSet<>();
    String prefix = key + "/";
    for (String c : p.confirmed) if (c.startsWith(prefix)) reached.add(c.substring(prefix.length()));
    return new AlertMessage(p.id(), i.severity(), p.text, List.of(i), null, reached);
  }

  private void flushDigest() {
    digestTimer = -1;
    if (members.isEmpty()) return;
    List<Member> batch = members;
    members = new ArrayList<>();
    List<String> ids = new ArrayList<>(batch.size());
    List<Incident> incidents = new ArrayList<>(batch.size());
    List<Pending> alerts = new ArrayList<>(batch.size());
    for (Member m : batch) {
      ids.add(m.alert().id());
      incidents.add(m.alert().request.incident());
      alerts.add(m.alert());
    }
    AlertMessage msg = new AlertMessage(digestKey(ids), AlertText.highest(incidents), text.digest(incidents), incidents,
        AlertText.digestJson(ids, incidents), new HashSet<>());
    send(msg, null, alerts, 0).onComplete(ar -> {
      SendResult r = ar.succeeded() ? ar.result() : SendResult.retryable("internal error");
      if (r.ok()) digests.increment();
      for (Member m : batch) m.promise().tryComplete(r);
    });
  }

  static String digestKey(List<String> ids) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String id : ids) {
        md.update(id.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return "digest-" + HexFormat.of().formatHex(md.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }

  /**
   * One attempt, then retries as long as the failure is retryable and attempts remain. {@code about}
   * are the alerts the message carries (one, or a digest's members), each reported once at the end.
   */
  private Future<SendResult> send(AlertMessage m, Pending single, List<Pending> about, int attempt) {
    Future<SendResult> attemptResult = breaker.execute(() -> guarded(m)).recover(e -> Future.succeededFuture(asResult(e)));
    return attemptResult.compose(r -> {
      if (single != null) persistReached(m, single);
      if (r.ok()) {
        sent.increment();
        report(about, attempt + 1, AlertDelivery.Outcome.DELIVERED, "");
        return Future.succeededFuture(r);
      }
      if (!closed && r != CIRCUIT_OPEN && r.retryable() && attempt < retries) {
        Duration wait = r.retryAfter() != null ? r.retryAfter() : backoff.delay(attempt, ThreadLocalRandom.current());
        if (wait.compareTo(maxRetryWait) <= 0) {
          retried.increment();
          warnings.warn("alert " + m.key() + " on " + key + ": attempt " + (attempt + 1) + "/" + (retries + 1)
              + " failed (" + redactor.apply(r.error()) + "), retrying in " + wait.toMillis() + " ms");
          Promise<Void> slept = Promise.promise();
          vertx.setTimer(Math.max(1, wait.toMillis()), id -> slept.complete());
          return slept.future().compose(v -> send(m, single, about, attempt + 1));
        }
      }
      failed.increment();
      warnings.warn("alert " + m.key() + " on " + key + ": failed after " + (attempt + 1) + " attempt(s): "
          + redactor.apply(r.error()));
      // A breaker that opened between attempts refused this one: it was not sent.
      if (r == CIRCUIT_OPEN) {
        report(about, attempt, attempt == 0 ? AlertDelivery.Outcome.SKIPPED : AlertDelivery.Outcome.FAILED, r.error());
      } else {
        report(about, attempt + 1, AlertDelivery.Outcome.FAILED, r.error());
      }
      return Future.succeededFuture(r);
    });
  }

  private void report(List<Pending> about, int attempts, AlertDelivery.Outcome outcome, String error) {
    String why = redactor.apply(error == null ? "" : error);
    for (Pending p : about) deliveries.ended(p, key, attempts, outcome, why);
  }

  private void persistReached(AlertMessage m, Pending p) {
    for (String contact : m.reached()) {
      String target = key + "/" + contact;
      if (p.confirmed.add(target)) reachedSink.accept(p.id(), target);
    }
  }

  /** The channel's own result, or a timeout if it has not answered shortly after the channel timeout. */
  private Future<SendResult> guarded(AlertMessage m) {
    Promise<SendResult> p = Promise.promise();
    long timer = vertx.setTimer(timeout.toMillis() + TIMEOUT_GRACE_MS, id -> p.tryComplete(SendResult.retryable("timeout")));
    Future<SendResult> f;
    try {
      f = channel.send(m, timeout);
    } catch (RuntimeException e) {
      f = Future.succeededFuture(HttpOutcomes.fromFailure(e));
    }
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      p.tryComplete(ar.succeeded() ? ar.result() : HttpOutcomes.fromFailure(ar.cause()));
    });
    return p.future();
  }

  private static SendResult asResult(Throwable e) {
    if (e instanceof OpenCircuitException) return CIRCUIT_OPEN;
    return HttpOutcomes.fromFailure(e);
  }

  /** Stops retries and digests; waiting digest members end at once so their alerts stay pending in the outbox. */
  void stop() {
    closed = true;
    if (digestTimer >= 0) vertx.cancelTimer(digestTimer);
    List<Member> waiting = members;
    members = new ArrayList<>();
    for (Member m : waiting) m.promise().tryComplete(SendResult.retryable("stopping"));
  }

  /** Releases the breaker and the channel's clients; after {@link #stop()} and the in-flight attempts. */
  Future<Void> close() {
    warnings.flush();
    breaker.close();
    return channel.close();
  }
}
