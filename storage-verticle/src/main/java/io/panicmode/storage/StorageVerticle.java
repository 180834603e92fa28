package io.panicmode.storage;

import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.Role;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageQuery;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage role: binds {@link Addresses#STORAGE} (writes, acknowledged after commit),
 * {@link Addresses#STORAGE_QUERY} (the api's reads) and {@link Addresses#HEARTBEAT} (agents), and
 * delegates to {@link Writer} and {@link Reader}. When the writer degrades it reports
 * {@code degraded} on the status board and sends a critical {@link AlertRequest}; on recovery it
 * reports {@code ok} and sends the resolved alert once the database stayed writable for
 * a hold time, 10 s by default (a flapping disk is one incident, see {@link DegradedAlarm}).
 * <p>
 * Replies on {@link Addresses#STORAGE}: {@code {"ok":true,"id":<write id>,"duplicate":bool}} once
 * committed; failure code 400 for a malformed write (do not retry), 503 when the write could not
 * be taken now (retry later with the same id).
 */
public final class StorageVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageVerticle.class);
  private static final int MAX_WAITING_QUERIES = 256;
  private static final int MAX_LABEL_VALUES = 500;

  private final NodeContext ctx;
  private final Writer.Tuning tuning;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private final java.util.Set<String> labels = new java.util.HashSet<>();
  private Writer writer;
  private Reader reader;
  private long pruneTimer = -1;
  private final DegradedAlarm alarm;
  private final Duration recoveryHold;
  private LongAdder alertFailures;
  private LongAdder heartbeatsDropped;

  public StorageVerticle(NodeContext ctx) {
    this(ctx, Writer.Tuning.DEFAULT);
  }

  public StorageVerticle(NodeContext ctx, Writer.Tuning tuning) {
    this(ctx, tuning, DegradedAlarm.HOLD);
  }

  /** {@code recoveryHold}: how long the database must stay writable before RECOVERED is sent. */
  StorageVerticle(NodeContext ctx, Writer.Tuning tuning, Duration recoveryHold) {
    this.ctx = ctx;
    this.tuning = tuning;
    this.recoveryHold = recoveryHold;
    this.alarm = new DegradedAlarm(recoveryHold, this::degradedIncident);
  }

  @Override
  public Future<?> start() {
    ctx.status().starting(Role.STORAGE);
    alertFailures = ctx.metrics().counter("panicmode_storage_alerts_failed_total",
        "Storage-degraded alerts the process's outbox (or, without one, the alert verticle) did not take");
    heartbeatsDropped = ctx.metrics().counter("panicmode_storage_heartbeats_dropped_total",
        "Heartbeats not recorded (malformed, or storage degraded)");
    Path file = Path.of(ctx.config().storage().incidentDb());
    writer = new Writer(file, ctx.hostId(), ctx.clock(), ctx.config().storage().retention(), tuning,
        new Writer.Listener() {
          @Override
          public void degraded(String reason) {
            context.runOnContext(v -> onDegraded(reason));
          }

          @Override
          public void recovered() {
            context.runOnContext(v -> onRecovered());
          }
        }, ctx.metrics());
    reader = new Reader(file, MAX_WAITING_QUERIES, ctx.metrics().counter("panicmode_storage_queries_rejected_total",
        "Queries refused because " + MAX_WAITING_QUERIES + " were already waiting"));

    var bus = vertx.eventBus();
    MessageConsumer<JsonObject> writes = bus.consumer(Addresses.STORAGE, this::onWrite);
    MessageConsumer<JsonObject> queries = bus.consumer(Addresses.STORAGE_QUERY, this::onQuery);
    MessageConsumer<JsonObject> heartbeats = bus.consumer(Addresses.HEARTBEAT, this::onHeartbeat);
    consumers.addAll(List.of(writes, queries, heartbeats));

    Future<String> opened = Future.fromCompletionStage(writer.start(), context);
    return opened.compose(reason -> Future.all(writes.completion(), queries.completion(), heartbeats.completion())
        .map(v -> {
          pruneTimer = vertx.setPeriodic(0, tuning.pruneInterval().toMillis(), id -> writer.requestPrune());
          if (reason == null) {
            ctx.status().ok(Role.STORAGE);
            LOG.info("storage ready: {}", file);
          } else {
            // Ready but degraded: say so before start completes (the listener's alert follows).
            ctx.status().degraded(Role.STORAGE, reason);
          }
          return null;
        }));
  }

  @Override
  public Future<?> stop() {
    if (pruneTimer >= 0) vertx.cancelTimer(pruneTimer);
    List<Future<Void>> unregistered = consumers.stream().map(MessageConsumer::unregister).toList();
    return Future.join(unregistered).eventually(() -> vertx.executeBlocking(() -> {
      // Reader first: the writer, closing last, checkpoints the WAL into the main file.
      reader.close();
      writer.close();
      return null;
    })).onComplete(ar -> ctx.status().remove(Role.STORAGE));
  }

  private void onWrite(Message<JsonObject> msg) {
    WriteApplier.Decoded decoded;
    try {
      decoded = WriteApplier.decode(StorageWrite.fromJson(msg.body()));
    } catch (MessageFormatException | ClassCastException e) {
      msg.fail(400, "bad storage write: " + e.getMessage());
      return;
    }
    writer.submit(decoded).whenComplete((outcome, err) -> context.runOnContext(v -> {
      if (err == null) {
        if (!outcome.duplicate()) count(decoded);
        msg.reply(new JsonObject().put("ok", true).put("id", outcome.id()).put("duplicate", outcome.duplicate()));
      } else {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        boolean retry = !(cause instanceof StorageException se) || se.environmental();
        msg.fail(retry ? 503 : 400, String.valueOf(cause.getMessage()));
      }
    }));
  }

  /**
   * Fleet-wide figures for /metrics on a central node, where no detector or action verticle runs:
   * stored incident events by rule, severity and state, and action results by op and status.
   * Rule and op names come from configs, but are capped all the same so labels stay bounded.
   */
  private void count(WriteApplier.Decoded d) {
    if (d.value() instanceof Incident i) {
      ctx.metrics().counter("panicmode_storage_incident_events_total", "Incident events stored, by rule, severity and state",
          "rule", bounded(i.rule()), "severity", i.severity().wire(), "state", i.state().wire()).increment();
    } else if (d.value() instanceof ActionResult r) {
      ctx.metrics().counter("panicmode_storage_action_results_total", "Action results stored, by op and status",
          "op", bounded(r.op() == null ? "" : r.op()), "status", r.status().wire()).increment();
    }
  }

  private String bounded(String label) {
    if (labels.contains(label)) return label;
    if (labels.size() >= MAX_LABEL_VALUES) return "other";
    labels.add(label);
    return label;
  }

  private void onQuery(Message<JsonObject> msg) {
    StorageQuery q;
    try {
      q = StorageQuery.fromJson(msg.body());
    } catch (MessageFormatException | ClassCastException e) {
      msg.fail(400, "bad storage query: " + e.getMessage());
      return;
    }
    reader.query(q).whenComplete((reply, err) -> context.runOnContext(v -> {
      if (err == null) {
        msg.reply(reply);
        return;
      }
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      msg.fail(cause instanceof MessageFormatException ? 400 : 503, String.valueOf(cause.getMessage()));
    }));
  }

  private void onHeartbeat(Message<JsonObject> msg) {
    Heartbeat h;
    try {
      h = Heartbeat.fromJson(msg.body());
    } catch (MessageFormatException | ClassCastException e) {
      heartbeatsDropped.increment();
      return;
    }
    // Heartbeats repeat every few seconds, so while degraded they are skipped rather than allowed to
    // fill the buffer that holds writes someone is waiting for.
    if (writer.isDegraded()) {
      heartbeatsDropped.increment();
      return;
    }
    StorageWrite w = StorageWrite.heartbeat(h);
    writer.submit(new WriteApplier.Decoded(w.id(), StorageWrite.Kind.HEARTBEAT, h))
        .whenComplete((o, err) -> {
          if (err != null) heartbeatsDropped.increment();
        });
  }

  private void onDegraded(String reason) {
    ctx.status().degraded(Role.STORAGE, reason);
    long now = ctx.clock().millis();
    alarm.degraded(now, reason).ifPresent(incident -> sendAlert(AlertRequest.of(incident, now)));
  }

  private Incident degradedIncident(long now, String reason) {
    return new Incident("storage-degraded:" + ctx.hostId() + ":" + now, ctx.hostId(), "storage_degraded",
        "self", Severity.CRITICAL, Incident.State.FIRING, "storage degraded: " + reason,
        "Writes are held in a bounded buffer (" + tuning.bufferCapacity() + ") and acknowledged only once stored. "
            + "Database: " + ctx.config().storage().incidentDb(),
        1, 0, Subjects.NONE.withPaths(List.of(ctx.config().storage().incidentDb())), List.of("alert_critical"), now, null);
  }

  private void onRecovered() {
    ctx.status().ok(Role.STORAGE);
    alarm.recovered(ctx.clock().millis());
    vertx.setTimer(recoveryHold.toMillis() + 1, id -> {
      long now = ctx.clock().millis();
      alarm.holdElapsed(now).ifPresent(resolved -> sendAlert(AlertRequest.of(resolved, now)));
    });
  }

  /**
   * Through the process's outbox: its alert lane is independent of storage and retries until the
   * alert role takes the alert, which may start after this role or be on another node.
   */
  private void sendAlert(AlertRequest alert) {
    ctx.deliver(vertx, Addresses.ALERTS, alert.id(), alert.toJson())
        .onFailure(e -> {
          alertFailures.increment();
          LOG.error("storage alert {} not taken: {}", alert.id(), e.getMessage());
        });
  }
}
