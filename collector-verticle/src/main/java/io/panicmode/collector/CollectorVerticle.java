package io.panicmode.collector;

import io.panicmode.collector.auth.AuthBlindness;
import io.panicmode.collector.auth.AuthFeed;
import io.panicmode.collector.auth.AuthFeeds;
import io.panicmode.collector.auth.AuthMode;
import io.panicmode.collector.auth.AuthPipeline;
import io.panicmode.collector.auth.SshdLineParser;
import io.panicmode.collector.source.SourceRegistry;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Role;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.selfcheck.SelfCheckVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector role: every {@code performance.check_interval} runs all metric sources (on its own
 * threads, never the event loop) and publishes one {@link MetricsSnapshot} on
 * {@link Addresses#metrics}; meanwhile follows the auth log or journald and publishes each sshd
 * failure at once on {@link Addresses#authEvents}. Thin: the work is in {@link CycleRunner},
 * the sources and the auth package.
 */
public final class CollectorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CollectorVerticle.class);
  /** An auth-source problem keeps the role degraded this long after it was last reported. */
  private static final long TROUBLE_HOLD_MS = 60_000;

  private final NodeContext ctx;
  private final AtomicBoolean cycleBusy = new AtomicBoolean();
  private final List<AuthFeed> feeds = new ArrayList<>();
  private ExecutorService cycleThread;
  private CycleRunner runner;
  private long timer = -1;
  private volatile long troubleAt = -1;
  private volatile String troubleReason = "";
  /** Why SSH detection sees nothing (checked each cycle), or null. */
  private volatile String blindReason;

  public CollectorVerticle(NodeContext ctx) { this.ctx = ctx; }

  @Override
  public Future<?> start() {
    ctx.status().starting(Role.COLLECTOR);
    String host = ctx.hostId();
    cycleThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "panicmode-collector-cycle");
      t.setDaemon(true);
      return t;
    });
    return vertx.executeBlocking(() -> {
      runner = new CycleRunner(SourceRegistry.create(ctx.config(), System::nanoTime, ctx.clock()::millis, ctx.metrics()),
          host, ctx.clock()::millis, ctx.metrics());
      runner.prime();
      AuthPipeline pipeline = new AuthPipeline(host, SshdLineParser.live(ZoneId.systemDefault(), ctx.clock()::millis),
          AuthMode.parse(ctx.config().collector().authMode()),
          e -> vertx.eventBus().publish(Addresses.authEvents(host), e.toJson()), ctx.clock()::millis, ctx.metrics());
      feeds.addAll(AuthFeeds.select(ctx.config().collector(), pipeline, this::trouble));
      feeds.forEach(AuthFeed::start);
      blindReason = blindness();
      return null;
    }).map(v -> {
      if (blindReason != null) {
        log.warn("SSH monitor is blind: {}; failed logins will not be seen until an auth log or a journal appears", blindReason);
        selfAlert(blindReason);
      }
      timer = vertx.setPeriodic(ctx.config().performance().checkInterval().toMillis(), id -> tick());
      updateStatus();
      log.info("collector started: {} sources, auth from {}", runner.sources().size(),
          feeds.isEmpty() ? "nothing (auth_source off)" : feeds.stream().map(AuthFeed::describe).toList());
      return v;
    });
  }

  private void trouble(String reason) {
    troubleAt = ctx.clock().millis();
    troubleReason = reason;
    ctx.metrics().counter("panicmode_collector_auth_source_errors_total", "auth log / journald problems").increment();
    ctx.status().degraded(Role.COLLECTOR, "auth source: " + reason);
    log.warn("auth source: {}", reason);
  }

  private String blindness() {
    return AuthBlindness.reason(ctx.config().collector(), AuthBlindness.JOURNAL_DIRS, AuthFeeds::onPath);
  }

  /** A critical self-alert: protection against SSH brute force is off without anyone having chosen so. */
  private void selfAlert(String reason) {
    long now = ctx.clock().millis();
    Incident incident = new Incident("self-" + ctx.hostId() + "-auth_blind-" + now, ctx.hostId(), SelfCheckVerticle.RULE,
        "self", Severity.CRITICAL, Incident.State.FIRING, "SSH monitor is blind: " + reason,
        "collector.auth_source=" + ctx.config().collector().authSource(), 1, 0, Subjects.NONE, List.of("alert_critical"),
        now, null);
    vertx.eventBus().publish(Addresses.INCIDENTS, incident.toJson());
    StorageWrite write = StorageWrite.incident(incident);
    ctx.deliver(vertx, Addresses.STORAGE, write.id(), write.toJson());
    AlertRequest alert = AlertRequest.of(incident, now);
    ctx.deliver(vertx, Addresses.ALERTS, alert.id(), alert.toJson())
        .onFailure(e -> log.error("self-alert (SSH monitor blind) not acknowledged: {}", e.toString()));
  }

  private void updateStatus() {
    String blind = blindReason;
    if (blind != null) {
      ctx.status().degraded(Role.COLLECTOR, "SSH monitor blind: " + blind);
    } else if (troubleAt >= 0 && ctx.clock().millis() - troubleAt < TROUBLE_HOLD_MS) {
      ctx.status().degraded(Role.COLLECTOR, "auth source: " + troubleReason);
    } else {
      ctx.status().ok(Role.COLLECTOR);
    }
  }

  private void tick() {
    if (!cycleBusy.compareAndSet(false, true)) {
      ctx.metrics().counter("panicmode_collector_cycles_skipped_total", "cycles skipped because the previous one was still running")
          .increment();
      return;
    }
    try {
      cycleThread.execute(() -> {
        try {
          MetricsSnapshot s = runner.runOnce();
          if (blindReason != null) blindReason = blindness();
          vertx.eventBus().publish(Addresses.metrics(ctx.hostId()), s.toJson());
          updateStatus();
        } catch (RuntimeException e) {
          log.error("collection cycle failed", e);
        } finally {
          cycleBusy.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      cycleBusy.set(false);
    }
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    feeds.forEach(AuthFeed::close);
    if (cycleThread != null) cycleThread.shutdownNow();
    if (runner != null) runner.close();
    ctx.status().remove(Role.COLLECTOR);
    return Future.succeededFuture();
  }
}
