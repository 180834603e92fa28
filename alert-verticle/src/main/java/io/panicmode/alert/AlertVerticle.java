package io.panicmode.alert;

import io.panicmode.alert.channel.AlertChannel;
import io.panicmode.alert.channel.ChannelDeps;
import io.panicmode.alert.channel.ChannelRegistry;
import io.panicmode.alert.channel.SendResult;
import io.panicmode.config.AlertChannelConfig;
import io.panicmode.config.CircuitBreakerConfig;
import io.panicmode.config.DeliveryConfig;
import io.panicmode.config.DeliveryMode;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertDelivery;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.Role;
import io.panicmode.contracts.Severity;
import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.Breaker;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert role: owns {@link Addresses#ALERTS}. Each {@link AlertRequest} is persisted in the
 * outbox before it is acknowledged ({@code {"ok":true,"id":...}}), then delivered by the
 * {@link Dispatcher} through the channels of its severity. Thin: it wires config to the outbox,
 * the channel lanes and the dispatcher.
 */
public final class AlertVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);
  static final String OUTBOX_FILE = "alert_outbox.db";
  /** The /health entry that names the outbox while it is held in memory. */
  static final String OUTBOX_CHECK = "alert_outbox";

  private final NodeContext ctx;
  private final AlertTuning tuning;
  private final Redactor redactor;
  private final LongAdder rejected;
  private Outbox outbox;
  private WebClient http;
  private final List<ChannelLane> lanes = new ArrayList<>();
  private Dispatcher dispatcher;
  private DeliveryReporter deliveries;
  private MessageConsumer<Object> consumer;
  private long pruneTimer = -1;

  public AlertVerticle(NodeContext ctx) { this(ctx, AlertTuning.defaults()); }

  public AlertVerticle(NodeContext ctx, AlertTuning tuning) {
    this.ctx = ctx;
    this.tuning = tuning;
    this.redactor = Redactor.of(ctx.config());
    this.rejected = ctx.metrics().counter("panicmode_alert_rejected_total", "Alert requests that were not valid AlertRequest JSON");
  }

  /** {@code delivery.outbox_db}, or {@code alert_outbox.db} next to {@code storage.incident_db}. */
  static Path outboxPath(PanicConfig c) {
    if (c.delivery().outboxDb() != null && !c.delivery().outboxDb().isBlank()) return Path.of(c.delivery().outboxDb());
    Path parent = Path.of(c.storage().incidentDb()).toAbsolutePath().getParent();
    return parent == null ? Path.of(OUTBOX_FILE) : parent.resolve(OUTBOX_FILE);
  }

  @Override
  public Future<?> start() {
    ctx.status().starting(Role.ALERT);
    PanicConfig cfg = ctx.config();
    return vertx.executeBlocking(() -> ServerLabel.resolve(tuning.env()))
        .compose(label -> Outbox.open(vertx, outboxPath(cfg), new Outbox.Listener() {
          @Override
          public void inMemory(String reason) {
            ctx.status().degraded(Role.ALERT, "alert outbox in memory: " + reason);
          }

          @Override
          public void backOnDisk() {
            ctx.status().ok(Role.ALERT);
          }
        }, ctx.metrics()).map(o -> {
          outbox = o;
          ctx.status().check(OUTBOX_CHECK, o::healthProblem);
          build(cfg, label);
          return o;
        }))
        .compose(Outbox::loadPending)
        .compose(rows -> {
          dispatcher.resume(rows);
          consumer = vertx.eventBus().consumer(Addresses.ALERTS, this::onRequest);
          return consumer.completion();
        })
        .onSuccess(v -> {
          prune();
          pruneTimer = vertx.setPeriodic(tuning.pruneInterval().toMillis(), id -> prune());
          if (outbox.diskProblem() == null) ctx.status().ok(Role.ALERT);
          LOG.info("alert verticle ready: {} channel(s), outbox {}", lanes.size(), outboxPath(cfg));
        })
        .recover(e -> {
          // A failed start gets no stop(): release what was opened before failing.
          ctx.status().degraded(Role.ALERT, "alert verticle failed to start");
          if (consumer != null) consumer.unregister();
          if (http != null) http.close();
          ctx.status().removeCheck(OUTBOX_CHECK);
          Future<Void> closed = outbox == null ? Future.succeededFuture() : outbox.close();
          return closed.transform(ar -> Future.failedFuture(e));
        });
  }

  private void build(PanicConfig cfg, String label) {
    http = WebClient.create(vertx, new WebClientOptions().setUserAgent("panicmode-alert/" + ctx.version())
        .setConnectTimeout(10_000).setFollowRedirects(false));
    ChannelDeps deps = new ChannelDeps(vertx, http, ctx.clock(), ctx.hostId(), tuning.mailTrust());
    AlertText text = new AlertText(label, ctx.hostId());
    deliveries = new DeliveryReporter(vertx, ctx);
    DeliveryConfig d = cfg.delivery();
    Map<AlertChannelConfig, ChannelLane> byConfig = new LinkedHashMap<>();
    Map<String, Integer> perType = new LinkedHashMap<>();
    Map<Severity, List<ChannelLane>> routes = new EnumMap<>(Severity.class);
    Map<Severity, List<AlertChannelConfig>> lists = Map.of(Severity.CRITICAL, cfg.alerts().critical(),
        Severity.WARNING, cfg.alerts().warning(), Severity.INFO, cfg.alerts().info());
    Set<Severity> fanOut = EnumSet.noneOf(Severity.class);
    for (Severity s : Severity.values()) {
      if (cfg.alerts().modeOf(s.wire()) == DeliveryMode.ALL) fanOut.add(s);
      List<ChannelLane> route = new ArrayList<>();
      for (AlertChannelConfig ch : lists.get(s)) {
        ChannelLane lane = byConfig.get(ch);
        if (lane == null) {
          AlertChannel channel = ChannelRegistry.create(deps, ch, cfg.integrations()).orElse(null);
          if (channel == null) {
            LOG.info("alerts.{}: channel {} skipped (integration disabled)", s.wire(), ch.channel().wire());
            continue;
          }
          int n = perType.merge(channel.type(), 1, Integer::sum);
          String key = n == 1 ? channel.type() : channel.type() + "-" + n;
          lane = new ChannelLane(key, channel, ch, breaker(key, cfg.circuitBreakers()), d.digestThreshold(),
              d.digestInterval(), tuning, vertx, ctx.clock(), text, redactor, ctx.metrics(), this::confirmReached,
              this::deliveryEnded);
          byConfig.put(ch, lane);
          lanes.add(lane);
        }
        route.add(lane);
      }
      routes.put(s, List.copyOf(route));
    }
    dispatcher = new Dispatcher(routes, fanOut, outbox, text, redactor, tuning.stderr(), vertx, ctx.clock(), tuning.outboxBackoff(),
        d.outboxExpiry(), d.maxQueued(), ctx.metrics(), ctx.status(), this::deliveryEnded);
  }


  private void deliveryEnded(Pending p, String channel, int attempts, AlertDelivery.Outcome outcome, String error) {
    var incident = p.request.incident();
    deliveries.report(new AlertDelivery(p.id(), incident.id(), incident.host(), channel, attempts, outcome, error,
        ctx.clock().millis()));
  }

  private void confirmReached(String alertId, String target) {
    outbox.confirm(alertId, target, ctx.clock().millis())
        .onFailure(e -> LOG.error("alert outbox: cannot record {} for {}: {}", target, alertId, e.toString()));
  }

  /** Every attempt a channel did not accept counts; the lane times attempts itself (the channel's own timeout). */
  private Breaker<SendResult> breaker(String key, CircuitBreakerConfig c) {
    return new Breaker<>(vertx, "panicmode-alert-" + key, c.maxFailures(), c.failureWindow(), c.openDuration(), null,
        ctx.clock(), f -> f.failed() || !f.result().ok());
  }

  private void onRequest(Message<Object> msg) {
    AlertRequest req;
    try {
      if (!(msg.body() instanceof JsonObject json)) throw new MessageFormatException("AlertRequest: expected a JSON object");
      req = AlertRequest.fromJson(json);
    } catch (MessageFormatException e) {
      rejected.increment();
      msg.fail(400, redactor.apply("bad AlertRequest: " + e.getMessage()));
      return;
    }
    dispatcher.accept(req).onComplete(ar -> {
      if (ar.succeeded()) msg.reply(ar.result());
      else if (ar.cause() instanceof Dispatcher.Refused r) msg.fail(r.code, r.getMessage());
      else msg.fail(500, "alert not accepted");
    });
  }

  private void prune() {
    long before = ctx.clock().millis() - ctx.config().delivery().outboxExpiry().toMillis();
    outbox.prune(before).onFailure(e -> LOG.warn("alert outbox prune failed: {}", e.toString()));
  }

  /** Longest wait at stop for attempts on the wire. */
  static final Duration STOP_GRACE_CAP = Duration.ofSeconds(5);

  @Override
  public Future<?> stop() {
    if (pruneTimer >= 0) vertx.cancelTimer(pruneTimer);
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.transform(ar -> {
      if (dispatcher == null) return Future.succeededFuture();
      Duration grace = Duration.ZERO;
      for (AlertChannelConfig ch : allChannels(ctx.config())) if (ch.timeout().compareTo(grace) > 0) grace = ch.timeout();
      grace = grace.plusMillis(500);
      return dispatcher.stop(lanes, grace.compareTo(STOP_GRACE_CAP) > 0 ? STOP_GRACE_CAP : grace);
    }).transform(ar -> {
      List<Future<Void>> closing = new ArrayList<>();
      for (ChannelLane lane : lanes) closing.add(lane.close());
      return Future.join(closing);
    }).transform(ar -> {
      if (http != null) http.close();
      ctx.status().remove(Role.ALERT);
      ctx.status().removeCheck(OUTBOX_CHECK);
      return outbox == null ? Future.succeededFuture() : outbox.close();
    });
  }

  private static List<AlertChannelConfig> allChannels(PanicConfig c) {
    List<AlertChannelConfig> all = new ArrayList<>(c.alerts().critical());
    all.addAll(c.alerts().warning());
    all.addAll(c.alerts().info());
    return all;
  }
}
