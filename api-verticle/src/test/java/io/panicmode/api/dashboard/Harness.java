package io.panicmode.api.dashboard;

import io.panicmode.api.ApiVerticle;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.StorageQuery;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.StatusBoard;
import io.panicmode.storage.StorageVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Vert.x with the real storage and api verticles and a stand-in action verticle for
 * {@link #HOST} that carries out every command it gets and records it.
 */
final class Harness implements AutoCloseable {
  static final String HOST = "web-1";
  static final String TOKEN = "dashboard-test-token-7f3a";

  /** Real time plus an offset the test moves, so history can be filled "in the past". */
  static final class ShiftedClock extends Clock {
    final AtomicLong offset = new AtomicLong();

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return Instant.ofEpochMilli(millis()); }
    @Override public long millis() { return System.currentTimeMillis() + offset.get(); }
  }

  final Vertx vertx = Vertx.vertx();
  final ShiftedClock clock = new ShiftedClock();
  final NodeContext ctx;
  final int port;
  final List<ActionCommand> commands = new CopyOnWriteArrayList<>();
  private final String apiDeployment;

  Harness(Path dir, String requestTimeout) throws Exception {
    port = freePort();
    PanicConfig cfg = ConfigLoader.parse("""
        node:
          id: %s
        storage:
          incident_db: "%s"
        http_api:
          enabled: true
          bind: "127.0.0.1:%d"
          token: "%s"
          request_timeout: %s
        """.formatted(HOST, dir.resolve("incidents.db"), port, TOKEN, requestTimeout), "dashboard-test", Map.of());
    ctx = new NodeContext(cfg, HOST, clock, new MetricsRegistry(), new StatusBoard(), false, null, null, clock.millis(), "test");
    vertx.eventBus().<JsonObject>consumer(Addresses.action(HOST), msg -> {
      ActionCommand c = ActionCommand.fromJson(msg.body());
      commands.add(c);
      msg.reply(new ActionResult(c.id(), HOST, c.op(), ActionResult.Status.DONE, "", false, c.ips(), clock.millis()).toJson());
    }).completion().await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new StorageVerticle(ctx)).await(20, TimeUnit.SECONDS);
    apiDeployment = vertx.deployVerticle(new ApiVerticle(ctx)).await(20, TimeUnit.SECONDS);
  }

  /** The daemon's API going away (its server closes, open event streams with it). */
  void stopApi() throws Exception {
    vertx.undeploy(apiDeployment).await(20, TimeUnit.SECONDS);
  }

  String url(String path) { return "http://127.0.0.1:" + port + path; }

  /** Writes through storage and waits for the commit. */
  void store(StorageWrite w) throws Exception {
    vertx.eventBus().request(Addresses.STORAGE, w.toJson(), new DeliveryOptions().setSendTimeout(10_000))
        .await(15, TimeUnit.SECONDS);
  }

  JsonObject query(StorageQuery q) throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.STORAGE_QUERY, q.toJson(), new DeliveryOptions().setSendTimeout(10_000))
        .await(15, TimeUnit.SECONDS).body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
