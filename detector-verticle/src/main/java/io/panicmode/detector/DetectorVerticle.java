package io.panicmode.detector;

import io.panicmode.config.CustomRuleMetric;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Role;
import io.panicmode.detector.claims.Claims;
import io.panicmode.detector.claims.SharedDataClaimStore;
import io.panicmode.detector.state.DetectorState;
import io.panicmode.detector.state.StateFile;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector role: consumes this host's metrics snapshots and auth events, runs
 * {@link DetectorCore}, sends protective commands to this host's action verticle and incidents to
 * the fleet-wide incident, alert and storage addresses. Dedup and rate-limit claims live in
 * {@code vertx.sharedData()} (cluster-wide when clustered) and in {@code storage.state_file}.
 * {@code start()} completes once the state is restored and both consumers are registered.
 */
public final class DetectorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorVerticle.class);
  static final long TICK_MS = 1000;
  static final long WINDOW_SAVE_MS = 30_000;
  /**
   * How long a cluster-wide dedup claim may take before the incident fires anyway. A healthy
   * cluster answers in a few ms; a partitioned one would hold local protection hostage for as long
   * as this, so it is short (a rare duplicate alert beats a late block).
   */
  static final long CLAIM_TIMEOUT_MS = 250;
  static final long MIN_SAVE_GAP_MS = 200;

  private final NodeContext ctx;
  private DetectorCore core;
  private Path stateFile;
  private LongAdder badMessages;
  private LongAdder saveFailures;
  private long tickTimer = -1;
  private long saveTimer = -1;
  private boolean saving;
  private boolean dirty;
  private boolean authSinceSave;
  private boolean saveDegraded;
  private boolean saveTimerPending;
  private boolean windowsDue = true;
  private long lastSaveAt;
  private Map<String, Map<String, long[]>> lastWindows = Map.of();

  public DetectorVerticle(NodeContext ctx) { this.ctx = ctx; }

  @Override
  public Future<?> start() {
    ctx.status().starting(Role.DETECTOR);
    var cfg = ctx.config();
    for (String assumed : CustomRuleMetric.assumptions(cfg)) LOG.warn(assumed);
    badMessages = ctx.metrics().counter("panicmode_detector_bad_messages_total", "Event-bus messages the detector could not decode");
    saveFailures = ctx.metrics().counter("panicmode_detector_state_save_failures_total", "Failed writes of storage.state_file");
    LongAdder claimErrors = ctx.metrics().counter("panicmode_detector_claim_errors_total",
        "Dedup/rate-limit claims that failed (shared map unreachable); the incident was let through");
    stateFile = Path.of(cfg.storage().stateFile());
    long dedupMs = cfg.detector().dedupWindow().toMillis();
    return SharedDataClaimStore.open(vertx, CLAIM_TIMEOUT_MS).compose(store -> {
      Claims claims = new Claims(store, cfg.detector().maxTrackedSubjects(), claimErrors);
      core = new DetectorCore(cfg, ctx.hostId(), ctx.clock(), claims, new EventBusOutputs(vertx, ctx), ctx.metrics());
      return vertx.executeBlocking(() -> loadState(dedupMs));
    }).compose(state -> core.restore(state)).compose(v -> {
      core.onChange(this::save);
      MessageConsumer<JsonObject> metrics = consume(Addresses.metrics(ctx.hostId()), "metrics", json -> {
        MetricsSnapshot s = MetricsSnapshot.fromJson(json);
        if (!s.host().equals(ctx.hostId())) throw new MessageFormatException("snapshot of host " + s.host() + " on our address");
        return s;
      }, core::onMetrics);
      MessageConsumer<JsonObject> auth = consume(Addresses.authEvents(ctx.hostId()), "auth", AuthEvent::fromJson, e -> {
        authSinceSave = true;
        core.onAuth(e);
      });
      return Future.all(metrics.completion(), auth.completion());
    }).onSuccess(v -> {
      tickTimer = vertx.setPeriodic(TICK_MS, t -> core.tick());
      saveTimer = vertx.setPeriodic(WINDOW_SAVE_MS, t -> {
        // A failed write is tried again even without news, so the detector heals once the disk does.
        if (authSinceSave || saveDegraded) save(true);
      });
      ctx.status().ok(Role.DETECTOR);
    }).onFailure(err -> ctx.status().degraded(Role.DETECTOR, "start failed: " + err.getMessage()));
  }

  private DetectorState loadState(long dedupMs) {
    try {
      DetectorState s = StateFile.load(stateFile, dedupMs);
      LOG.info("detector state restored from {}: {} claims, {} active incidents", stateFile, s.claims().size(),
          s.active().size());
      return s;
    } catch (IOException | IllegalArgumentException e) {
      // Unreadable state must not keep the detector from protecting the host: keep the file aside, start fresh.
      LOG.error("cannot restore detector state from {}: {}; starting without it", stateFile, e.getMessage());
      try {
        Files.move(stateFile, stateFile.resolveSibling(stateFile.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException moveFailed) {
        LOG.error("cannot move {} aside: {}", stateFile, moveFailed.getMessage());
      }
      return DetectorState.empty(dedupMs);
    }
  }

  /** Decodes each message before handling it; one that does not decode (or is not ours) is counted and dropped. */
  private <T> MessageConsumer<JsonObject> consume(String address, String kind, Function<JsonObject, T> decode,
                                                  Consumer<T> handle) {
    return vertx.eventBus().consumer(address, m -> {
      T decoded;
      try {
        decoded = decode.apply(m.body());
      } catch (MessageFormatException | ClassCastException e) {
        badMessage(kind, e);
        return;
      }
      handle.accept(decoded);
    });
  }

  private void badMessage(String kind, Exception e) {
    badMessages.increment();
    LOG.debug("dropping malformed {} message: {}", kind, e.getMessage());
  }

  /**
   * Writes the state file soon: at most one write runs, writes start at least
   * {@link #MIN_SAVE_GAP_MS} apart (a burst of incidents is one write), and a change during a
   * write triggers one more. Auth windows, the bulky part, are taken every
   * {@link #WINDOW_SAVE_MS} (and at stop); other writes reuse the last ones. The JSON is built and
   * written on a worker.
   */
  private void save() { save(false); }

  private Future<Void> save(boolean withWindows) {
    if (withWindows) windowsDue = true;
    if (saving || saveTimerPending) {
      dirty = true;
      return Future.succeededFuture();
    }
    // Wall time on purpose: this paces disk writes, and must advance even under a fixed test clock.
    long wait = lastSaveAt + MIN_SAVE_GAP_MS - System.currentTimeMillis();
    if (wait > 0) {
      saveTimerPending = true;
      vertx.setTimer(wait, t -> {
        saveTimerPending = false;
        save(false);
      });
      return Future.succeededFuture();
    }
    saving = true;
    dirty = false;
    if (windowsDue) {
      windowsDue = false;
      authSinceSave = false;
      lastWindows = core.authWindows();
    }
    DetectorState st = core.snapshot(lastWindows);
    lastSaveAt = System.currentTimeMillis();
    return vertx.<Void>executeBlocking(() -> {
      StateFile.save(stateFile, st.toJson());
      return null;
    }).onComplete(ar -> {
      saving = false;
      if (ar.failed()) {
        saveFailures.increment();
        saveDegraded = true;
        ctx.status().degraded(Role.DETECTOR, "cannot write " + stateFile + ": " + ar.cause().getMessage());
        LOG.error("cannot write detector state {}: {}", stateFile, ar.cause().toString());
      } else if (saveDegraded) {
        saveDegraded = false;
        ctx.status().ok(Role.DETECTOR);
      }
      if (dirty) save(false);
    });
  }

  @Override
  public Future<?> stop() {
    if (tickTimer >= 0) vertx.cancelTimer(tickTimer);
    if (saveTimer >= 0) vertx.cancelTimer(saveTimer);
    Future<Void> last = core == null ? Future.succeededFuture() : awaitSaved();
    return last.onComplete(ar -> ctx.status().remove(Role.DETECTOR));
  }

  /** The final write at stop, with fresh auth windows, once any running write is done. */
  private Future<Void> awaitSaved() {
    if (saving) return Future.future(p -> vertx.setTimer(20, t -> awaitSaved().onComplete(p)));
    lastSaveAt = 0;
    saveTimerPending = false;
    return save(true);
  }
}
