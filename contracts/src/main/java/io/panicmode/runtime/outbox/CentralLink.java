package io.panicmode.runtime.outbox;

import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a host owes the (possibly remote) alert and storage nodes, held in a bounded persistent
 * outbox and delivered in order. A message is removed only after its receiver acknowledged it, so
 * a central outage or a restart of either side loses nothing; receivers deduplicate by message id,
 * so the at-least-once delivery here becomes exactly-once storage there.
 *
 * <p>Obligations: {@link #send} never blocks the caller and never waits on the network; it
 * completes once the message is on disk (or fails when it could not be persisted). When the
 * outbox is full the oldest message is dropped and counted. A receiver's failure reply with a code
 * in 400–499 means the message itself is bad: it is dropped and counted, never retried.
 */
public final class CentralLink implements io.vertx.core.shareddata.Shareable {
  private static final Logger LOG = LoggerFactory.getLogger(CentralLink.class);
  private static final int BATCH = 64;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final Path file;
  private final int maxEntries;
  private final long sendTimeoutMs;
  private final MetricsRegistry metrics;
  private final ExecutorService db = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "central-link-db");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong depth = new AtomicLong();
  private Connection conn;
  private boolean draining;
  private boolean stopped;
  private long backoffMs = 500;
  private long retryTimer = -1;
  private java.util.function.Consumer<String> onDelivered = id -> { };

  public CentralLink(Vertx vertx, Path file, int maxEntries, long sendTimeoutMs, MetricsRegistry metrics) {
    this.vertx = vertx;
    this.file = file;
    this.maxEntries = maxEntries;
    this.sendTimeoutMs = sendTimeoutMs;
    this.metrics = metrics;
    metrics.gauge("panicmode_central_outbox_depth", "Messages waiting for the alert/storage node", depth::get);
  }

  private static final String REGISTRY = "panicmode.central-link";

  /** Makes this link the one the verticles of this Vert.x instance send through (the launcher does this). */
  public void register() {
    vertx.sharedData().<String, CentralLink>getLocalMap(REGISTRY).put("link", this);
  }

  /** The process's link, if the launcher registered one; verticles fall back to their own bounded queue otherwise. */
  public static java.util.Optional<CentralLink> of(Vertx vertx) {
    return java.util.Optional.ofNullable(vertx.sharedData().<String, CentralLink>getLocalMap(REGISTRY).get("link"));
  }

  /**
   * Hands a message to the process's link, or, where none is registered (tests, tools), sends it
   * once directly. Completes when the message is on disk, or with the direct reply.
   */
  public static Future<?> deliver(Vertx vertx, String address, String id, JsonObject body) {
    return of(vertx).<Future<?>>map(link -> link.send(address, id, body))
        .orElseGet(() -> vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(10_000)));
  }

  /** Opens (or creates) the outbox file and starts draining what a previous run left. */
  public Future<Void> start() {
    return onDb(() -> {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      conn = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = conn.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT NOT NULL, "
            + "id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)");
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
          depth.set(rs.next() ? rs.getLong(1) : 0);
        }
      }
      return null;
    }).map(v -> {
      if (depth.get() > 0) LOG.info("central outbox holds {} message(s) from before; delivering them", depth.get());
      drain();
      return null;
    });
  }

  /** Persists the message and schedules its delivery; a message id already queued is not queued twice. */
  public Future<Void> send(String address, String id, JsonObject body) {
    String encoded = body.encode();
    return this.<Void>onDb(() -> {
      try (PreparedStatement ins = conn.prepareStatement("INSERT OR IGNORE INTO outbox(address, id, body) VALUES (?,?,?)")) {
        ins.setString(1, address);
        ins.setString(2, id);
        ins.setString(3, encoded);
        if (ins.executeUpdate() == 1) depth.incrementAndGet();
      }
      if (depth.get() > maxEntries) {
        try (Statement s = conn.createStatement()) {
          long over = depth.get() - maxEntries;
          int dropped = s.executeUpdate("DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox ORDER BY seq LIMIT " + over + ")");
          depth.addAndGet(-dropped);
          metrics.counter("panicmode_central_outbox_dropped_total", "Oldest messages dropped because the outbox was full")
              .add(dropped);
        }
      }
      return null;
    }).onSuccess(v -> vertx.runOnContext(x -> drain()));
  }

  public long depth() { return depth.get(); }

  /** Called on the event loop with each message id its receiver acknowledged (for measurements and tests). */
  public void onDelivered(java.util.function.Consumer<String> listener) { this.onDelivered = listener; }

  public Future<Void> stop() {
    return this.<Void>onDb(() -> {
      stopped = true;
      if (conn != null) conn.close();
      return null;
    }).andThen(ar -> db.shutdown());
  }

  private record Row(long seq, String address, String id, String body) {}

  /** Sends queued messages in order, one batch at a time; on failure waits and starts again from the oldest. */
  private void drain() {
    if (draining || stopped) return;
    draining = true;
    onDb(() -> {
      List<Row> rows = new ArrayList<>();
      try (Statement s = conn.createStatement();
           ResultSet rs = s.executeQuery("SELECT seq, address, id, body FROM outbox ORDER BY seq LIMIT " + BATCH)) {
        while (rs.next()) rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
      return rows;
    }).onComplete(ar -> {
      if (ar.failed() || ar.result().isEmpty()) {
        draining = false;
        return;
      }
      sendInOrder(ar.result(), 0, -1);
    });
  }

  /**
   * Sends {@code rows[i..]} one after another; each goes out as soon as the previous one was
   * acknowledged. Acknowledged rows are deleted together when the batch ends or a send fails (a
   * crash in between only means they are sent again, and receivers deduplicate by id).
   */
  private void sendInOrder(List<Row> rows, int i, long lastDone) {
    if (i == rows.size()) {
      forget(lastDone).onComplete(x -> {
        draining = false;
        backoffMs = 500;
        drain();
      });
      return;
    }
    Row row = rows.get(i);
    vertx.eventBus().request(row.address(), new JsonObject(row.body()), new DeliveryOptions().setSendTimeout(sendTimeoutMs))
        .onComplete(ar -> {
          boolean rejected = ar.failed() && ar.cause() instanceof ReplyException re
              && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 400 && re.failureCode() < 500;
          if (ar.succeeded() || rejected) {
            if (rejected) {
              LOG.warn("{} rejected message {}: {}", row.address(), row.id(), ar.cause().getMessage());
              metrics.counter("panicmode_central_outbox_rejected_total", "Messages the receiver refused as malformed",
                  "address", row.address()).increment();
            } else {
              metrics.counter("panicmode_central_outbox_delivered_total", "Messages acknowledged by their receiver",
                  "address", row.address()).increment();
              onDelivered.accept(row.id());
            }
            sendInOrder(rows, i + 1, row.seq());
            return;
          }
          metrics.counter("panicmode_central_outbox_retries_total", "Deliveries that failed and will be retried",
              "address", row.address()).increment();
          LOG.debug("delivery to {} failed ({}); retrying in {} ms", row.address(), ar.cause().getMessage(), backoffMs);
          long wait = backoffMs;
          backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
          forget(lastDone).onComplete(x -> retryTimer = vertx.setTimer(wait, t -> {
            draining = false;
            drain();
          }));
        });
  }

  /** Deletes every row up to {@code seq} (all of them were acknowledged or refused, in order). */
  private Future<Void> forget(long seq) {
    if (seq < 0) return Future.succeededFuture();
    return this.<Void>onDb(() -> {
      try (PreparedStatement del = conn.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
        del.setLong(1, seq);
        depth.addAndGet(-del.executeUpdate());
      }
      return null;
    });
  }

  private interface DbWork<T> {
    T run() throws Exception;
  }

  private <T> Future<T> onDb(DbWork<T> work) {
    Promise<T> p = Promise.promise();
    var ctx = vertx.getOrCreateContext();
    try {
      db.execute(() -> {
        try {
          T r = work.run();
          ctx.runOnContext(v -> p.complete(r));
        } catch (Exception | Error e) {
          ctx.runOnContext(v -> p.fail(e instanceof SQLException ? new IllegalStateException("outbox " + file + ": "
              + e.getMessage(), e) : e));
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      p.fail(new IllegalStateException("outbox closed"));
    }
    return p.future();
  }
}
