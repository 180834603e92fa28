package io.panicmode.alert;

import io.panicmode.runtime.Backoff;
import io.panicmode.alert.channel.LogChannel;
import io.panicmode.alert.channel.SendResult;
import io.panicmode.contracts.AlertDelivery;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Role;
import io.panicmode.contracts.Severity;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.StatusBoard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Set;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes accepted alerts through their channels: the channels configured for the alert's severity
 * are tried in order, and the first one that delivers ends the round (failover). A severity in
 * {@code fanOut} ({@code alerts.mode.<severity>: all}) goes to every channel at once instead; the
 * alert is done when each has confirmed, and later rounds retry only those still missing. When every
 * channel fails, a {@code [PANICMODE ALERT LOST]} line goes to stderr, the alert stays in the
 * outbox and a new round starts after a backoff, until it is delivered or
 * {@code delivery.outbox_expiry} has passed. Runs on the verticle's event loop.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** Thrown to the consumer for a request that cannot be accepted; {@code code} becomes the reply's failure code. */
  static final class Refused extends RuntimeException {
    final int code;

    Refused(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private final Map<Severity, List<ChannelLane>> routes;
  private final Set<Severity> fanOut;
  private final Outbox outbox;
  private final AlertText text;
  private final Redactor redactor;
  private final PrintStream stderr;
  private final Vertx vertx;
  private final Clock clock;
  private final Backoff outboxBackoff;
  private final Duration expiry;
  private final int maxQueued;
  private final StatusBoard status;
  private final ChannelLane.DeliveryListener deliveries;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  /** Alerts with a delivery round under way; stop waits for them so a confirmation is not lost. */
  private final Set<String> inRound = new HashSet<>();
  private Promise<Void> drained;

  private final LongAdder accepted;
  private final LongAdder duplicates;
  private final LongAdder droppedFull;
  private final LongAdder lost;
  private final LongAdder expired;
  private final LongAdder delivered;
  private boolean stopped;

  Dispatcher(Map<Severity, List<ChannelLane>> routes, Set<Severity> fanOut, Outbox outbox, AlertText text, Redactor redactor, PrintStream stderr,
             Vertx vertx, Clock clock, Backoff outboxBackoff, Duration expiry, int maxQueued, MetricsRegistry metrics,
             StatusBoard status, ChannelLane.DeliveryListener deliveries) {
    this.routes = routes;
    this.fanOut = fanOut;
    this.outbox = outbox;
    this.text = text;
    this.redactor = redactor;
    this.stderr = stderr;
    this.vertx = vertx;
    this.clock = clock;
    this.outboxBackoff = outboxBackoff;
    this.expiry = expiry;
    this.maxQueued = maxQueued;
    this.status = status;
    this.deliveries = deliveries;
    this.accepted = metrics.counter("panicmode_alert_accepted_total", "Alert requests persisted in the outbox");
    this.duplicates = metrics.counter("panicmode_alert_duplicates_total", "Alert requests whose id was already known");
    this.droppedFull = metrics.counter("panicmode_alert_dropped_total", "Alert requests refused", "reason", "queue_full");
    this.lost = metrics.counter("panicmode_alert_all_channels_failed_total", "Delivery rounds in which every channel failed");
    this.expired = metrics.counter("panicmode_alert_expired_total", "Alerts given up after delivery.outbox_expiry");
    this.delivered = metrics.counter("panicmode_alert_delivered_total", "Alerts delivered by at least one channel");
    metrics.gauge("panicmode_alert_outbox_pending", "Alerts accepted and not yet delivered", () -> pending.size());
  }

  /** Persists the request, then acknowledges; a known id is acknowledged without a second delivery. */
  Future<JsonObject> accept(AlertRequest req) {
    JsonObject ack = new JsonObject().put("ok", true).put("id", req.id());
    if (pending.containsKey(req.id())) {
      duplicates.increment();
      return Future.succeededFuture(ack.put("duplicate", true));
    }
    if (pending.size() >= maxQueued) {
      droppedFull.increment();
      lostLine(text.single(req.incident()), "not accepted: " + pending.size() + " alerts already queued (delivery.max_queued)");
      return Future.failedFuture(new Refused(503, "alert queue full"));
    }
    long now = clock.millis();
    return outbox.insert(req.id(), req.toJson().encode(), now)
        .recover(e -> {
          LOG.error("alert outbox write failed for {}: {}", req.id(), redactor.apply(String.valueOf(e.getMessage())));
          status.degraded(Role.ALERT, "alert outbox write failed");
          return Future.failedFuture(new Refused(500, "alert outbox write failed"));
        })
        .map(inserted -> {
          if (!inserted) {
            duplicates.increment();
            return ack.put("duplicate", true);
          }
          accepted.increment();
          Pending p = new Pending(req, now, new HashSet<>(), 0);
          pending.put(p.id(), p);
          run(p);
          return ack;
        });
  }

  /** Takes over the pending rows found at start and starts a round for each. */
  void resume(List<Outbox.Row> rows) {
    long now = clock.millis();
    for (Outbox.Row row : rows) {
      AlertRequest req;
      try {
        req = AlertRequest.fromJson(new JsonObject(row.request()));
      } catch (RuntimeException e) {
        LOG.error("alert outbox row {} unreadable, expiring it: {}", row.id(), e.toString());
        outbox.expire(row.id(), now);
        expired.increment();
        continue;
      }
      Pending p = new Pending(req, row.acceptedAt(), row.confirmed(), row.rounds());
      pending.put(p.id(), p);
      // A restart is a new situation (often a fixed config or network), so every pending alert
      // gets a round at once rather than waiting out the backoff of the previous process.
      run(p);
    }
    if (!rows.isEmpty()) LOG.info("alert outbox: resumed {} undelivered alert(s)", rows.size());
  }

  private void run(Pending p) {
    if (stopped) return;
    p.timerId = -1;
    long now = clock.millis();
    if (now >= p.acceptedAt + expiry.toMillis()) {
      expire(p, now);
      return;
    }
    Severity severity = p.request.incident().severity();
    List<ChannelLane> route = routes.getOrDefault(severity, List.of());
    if (!route.isEmpty() && fanOut.contains(severity)) {
      inRound.add(p.id());
      fanOutRound(p, route);
      return;
    }
    for (ChannelLane lane : route) {
      if (p.confirmed.contains(lane.key)) {
        finish(p, lane.key);
        return;
      }
    }
    if (route.isEmpty()) {
      unrouted(p);
      return;
    }
    inRound.add(p.id());
    tryLane(p, route, 0, new ArrayList<>());
  }

  private void roundEnded(Pending p) {
    inRound.remove(p.id());
    if (drained != null && inRound.isEmpty()) drained.tryComplete();
  }

  private void tryLane(Pending p, List<ChannelLane> route, int i, List<String> errors) {
    if (stopped) {
      roundEnded(p);
      return;
    }
    if (i == route.size()) {
      allFailed(p, errors);
      return;
    }
    ChannelLane lane = route.get(i);
    lane.deliver(p).onComplete(ar -> {
      SendResult r = ar.succeeded() ? ar.result() : SendResult.retryable("internal error");
      if (r.ok()) {
        finish(p, lane.key);
      } else {
        errors.add(lane.key + ": " + r.error());
        tryLane(p, route, i + 1, errors);
      }
    });
  }

  /** Delivers to every lane not yet confirmed, in parallel; each lane keeps its own retries and breaker. */
  private void fanOutRound(Pending p, List<ChannelLane> route) {
    List<ChannelLane> missing = route.stream().filter(l -> !p.confirmed.contains(l.key)).toList();
    if (missing.isEmpty()) {
      finish(p, route.get(route.size() - 1).key);
      return;
    }
    List<String> errors = new ArrayList<>();
    List<Future<SendResult>> attempts = new ArrayList<>();
    for (ChannelLane lane : missing) {
      attempts.add(lane.deliver(p).recover(e -> Future.succeededFuture(SendResult.retryable("internal error")))
          .onSuccess(r -> {
            if (r.ok()) {
              if (p.confirmed.add(lane.key)) {
                outbox.confirm(p.id(), lane.key, clock.millis())
                    .onFailure(e -> LOG.error("alert outbox: cannot record {} for {}: {}", lane.key, p.id(), e.toString()));
              }
            } else {
              errors.add(lane.key + ": " + r.error());
            }
          }));
    }
    Future.join(attempts).onComplete(ar -> {
      if (stopped) {
        roundEnded(p);
      } else if (errors.isEmpty()) {
        finish(p, missing.get(missing.size() - 1).key);
      } else if (errors.size() == missing.size() && route.stream().noneMatch(l -> p.confirmed.contains(l.key))) {
        allFailed(p, errors);
      } else {
        LOG.warn("alert {}: not yet delivered to {}; retrying those", p.id(), redactor.apply(String.join("; ", errors)));
        retryLater(p);
        roundEnded(p);
      }
    });
  }

  private void finish(Pending p, String laneKey) {
    if (pending.remove(p.id()) != null) {
      p.confirmed.add(laneKey);
      delivered.increment();
      // Queued before the round ends: a stop waiting for this round closes the outbox only after it.
      outbox.delivered(List.of(p.id()), laneKey, clock.millis())
          .onFailure(e -> LOG.error("alert outbox: cannot mark {} delivered: {}", p.id(), e.toString()));
      // Delivering again heals "every channel failed", not an outbox held in memory.
      String outboxProblem = outbox.diskProblem();
      if (outboxProblem == null) status.ok(Role.ALERT);
      else status.degraded(Role.ALERT, "alert outbox in memory: " + outboxProblem);
    }
    roundEnded(p);
  }

  private void allFailed(Pending p, List<String> errors) {
    if (stopped) {
      roundEnded(p);
      return;
    }
    lost.increment();
    long now = clock.millis();
    long next = retryLater(p);
    if (p.rounds == 1) {
      if (p.text == null) p.text = text.single(p.request.incident());
      lostLine(p.text, "every channel failed (" + String.join("; ", errors) + "); kept in the outbox, next try in "
          + AlertText.human(Duration.ofMillis(next - now)));
    } else {
      LOG.warn("alert {}: round {} failed on every channel ({})", p.id(), p.rounds, redactor.apply(String.join("; ", errors)));
    }
    status.degraded(Role.ALERT, "alerts undelivered: every channel failed");
    roundEnded(p);
  }

  /** Schedules the next round after the outbox backoff (never past the expiry); returns its time. */
  private long retryLater(Pending p) {
    long now = clock.millis();
    long deadline = p.acceptedAt + expiry.toMillis();
    long next = Math.min(deadline, now + outboxBackoff.delay(p.rounds, ThreadLocalRandom.current()).toMillis());
    p.rounds++;
    outbox.reschedule(p.id(), p.rounds, next);
    schedule(p, next - now);
    return next;
  }

  /** Critical alerts with no channel at all are reported as lost; others are finished quietly (nobody asked to hear them). */
  private void unrouted(Pending p) {
    pending.remove(p.id());
    Severity s = p.request.incident().severity();
    if (s == Severity.CRITICAL) {
      lostLine(text.single(p.request.incident()), "no channel configured under alerts.critical");
    }
    // The incident's history says why nobody was told, rather than waiting for a delivery forever.
    deliveries.ended(p, "none", 0, AlertDelivery.Outcome.SKIPPED, "no channel configured under alerts." + s.wire());
    outbox.delivered(List.of(p.id()), "none", clock.millis());
  }

  private void expire(Pending p, long now) {
    pending.remove(p.id());
    expired.increment();
    if (p.text == null) p.text = text.single(p.request.incident());
    lostLine(p.text, "expired undelivered after " + AlertText.human(expiry));
    outbox.expire(p.id(), now);
  }

  private void schedule(Pending p, long delayMs) {
    p.timerId = vertx.setTimer(Math.max(1, delayMs), id -> run(p));
  }

  private void lostLine(String alertText, String why) {
    stderr.println(redactor.apply("[PANICMODE ALERT LOST] " + LogChannel.oneLine(alertText) + " (" + why + ")"));
    stderr.flush();
  }

  /**
   * Stops new rounds and retries, then waits (at most {@code grace}) for attempts already on the
   * wire, so a delivery that succeeds during shutdown is still recorded and never re-sent.
   */
  Future<Void> stop(Collection<ChannelLane> lanes, Duration grace) {
    stopped = true;
    for (Pending p : pending.values()) if (p.timerId >= 0) vertx.cancelTimer(p.timerId);
    for (ChannelLane lane : lanes) lane.stop();
    drained = Promise.promise();
    if (inRound.isEmpty()) drained.tryComplete();
    long t = vertx.setTimer(Math.max(1, grace.toMillis()), id -> drained.tryComplete());
    return drained.future().andThen(ar -> vertx.cancelTimer(t));
  }
}
