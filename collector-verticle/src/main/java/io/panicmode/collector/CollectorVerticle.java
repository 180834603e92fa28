package io.panicmode.collector;

import io.panicmode.collector.auth.AuthFeed;
import io.panicmode.collector.auth.AuthFeeds;
import io.panicmode.collector.auth.AuthMode;
import io.panicmode.collector.auth.AuthPipeline;
import io.panicmode.collector.auth.SshdLineParser;
import io.panicmode.collector.source.SourceRegistry;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Role;
import io.panicmode.runtime.NodeContext;
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
      return null;
    }).map(v -> {
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

  private void updateStatus() {
    if (troubleAt >= 0 && ctx.clock().millis() - troubleAt < TROUBLE_HOLD_MS) {
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
