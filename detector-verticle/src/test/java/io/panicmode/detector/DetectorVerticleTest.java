package io.panicmode.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Role;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.ResultSigner;
import io.panicmode.runtime.ResultVerifier;
import io.panicmode.runtime.StatusBoard;
import io.panicmode.runtime.outbox.CentralLink;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The verticle in a local (non-clustered) Vert.x: wiring, signing, delivery, state across restarts. */
@ExtendWith(VertxExtension.class)
class DetectorVerticleTest {
  static final String HOST = "node-1";
  static final CommandSigner KEY = new CommandSigner("0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII));

  @TempDir Path tmp;

  PanicConfig config() throws Exception {
    String yaml = """
        monitors:
          - name: ssh
            type: auth_failures
            threshold: 2
            actions: [block_ip, alert_critical]
        anomaly:
          enabled: false
        storage:
          state_file: "%s"
        """.formatted(tmp.resolve("state/incident_state.json"));
    return ConfigLoader.parse(yaml, "test.yaml", Map.of());
  }

  NodeContext ctx(PanicConfig cfg) {
    return new NodeContext(cfg, HOST, Clock.systemUTC(), new MetricsRegistry(), new StatusBoard(), false, KEY, null,
        System.currentTimeMillis(), "test");
  }

  /** A consumer on the action address that is not this host's action role: its "done" counts as failed. */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void anUnsignedOrForeignResultCountsAsAFailedCommand() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      java.security.KeyPair hostKeys = ResultSigner.generate();
      ResultSigner realSigner = new ResultSigner(hostKeys.getPrivate());
      ResultSigner otherSigner = new ResultSigner(ResultSigner.generate().getPrivate());
      NodeContext ctx = ctx(config()).withResultKeys(null, new ResultVerifier(Map.of(HOST, hostKeys.getPublic())));
      java.util.Map<String, ResultSigner> signerFor = Map.of("203.0.113.21", otherSigner, "203.0.113.22", realSigner);
      vertx.eventBus().<JsonObject>consumer(Addresses.action(HOST), m -> {
        ActionCommand c = ActionCommand.fromJson(m.body());
        ActionResult done = new ActionResult(c.id(), HOST, c.op(), ActionResult.Status.DONE, "", false, c.ips(), 0);
        ResultSigner signer = signerFor.get(c.ips().get(0));
        m.reply((signer == null ? done : signer.sign(done)).toJson());
      }).completion().await();
      vertx.deployVerticle(new DetectorVerticle(ctx)).await();

      // The genuine one first: replies on the local bus are handled in order, so it is counted before the others.
      fail3(vertx, "203.0.113.22");
      fail3(vertx, "203.0.113.20");
      fail3(vertx, "203.0.113.21");
      Await.until("two of the three results counted as failed", () -> failed(ctx) == 2);
      assertEquals(3, ctx.metrics().counterValue("panicmode_detector_commands_total", "result", "sent"));
      assertEquals(1, ctx.metrics().counterValue("panicmode_action_results_rejected_total", "requester", "detector",
          "reason", "unsigned"));
      assertEquals(1, ctx.metrics().counterValue("panicmode_action_results_rejected_total", "requester", "detector",
          "reason", "bad_signature"));
      assertEquals(2, failed(ctx), "the genuinely signed result is not a failure");
    } finally {
      vertx.close().await();
    }
  }

  private static long failed(NodeContext ctx) {
    return ctx.metrics().counterValue("panicmode_detector_commands_total", "result", "failed");
  }

  static void fail3(Vertx vertx, String ip) {
    for (int i = 0; i < 3; i++) {
      vertx.eventBus().publish(Addresses.authEvents(HOST),
          new AuthEvent(HOST, System.currentTimeMillis(), ip, "root", "failed_password", 22).toJson());
    }
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void actionsAtOnceSignedWhileAlertAndStorageAreAbsentThenDelivered() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NodeContext bare = ctx(config());
      // The process outbox, as the launcher sets it up: alert and storage requests wait there.
      CentralLink link = new CentralLink(vertx, tmp.resolve("outbox.db"), 1000, 500, bare.metrics());
      link.start().await();
      NodeContext ctx = bare.withCentral(link);
      List<ActionCommand> commands = new CopyOnWriteArrayList<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.action(HOST), m -> {
        ActionCommand c = ActionCommand.fromJson(m.body());
        commands.add(c);
        m.reply(new ActionResult(c.id(), HOST, c.op(), ActionResult.Status.DONE, "", false, c.ips(), 0).toJson());
      }).completion().await();
      List<Incident> published = new CopyOnWriteArrayList<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.INCIDENTS, m -> published.add(Incident.fromJson(m.body())))
          .completion().await();
      vertx.deployVerticle(new DetectorVerticle(ctx)).await();
      assertEquals("ok", ctx.status().snapshot().get(Role.DETECTOR.wire()));

      // No alert or storage consumer exists yet, and none ever replies before the command: the
      // command arriving at all shows the action does not wait for them.
      fail3(vertx, "203.0.113.10");
      Await.until("the block command", () -> !commands.isEmpty());
      assertEquals(1, commands.size());
      ActionCommand c = commands.get(0);
      assertEquals("block_ip", c.op());
      assertEquals(List.of("203.0.113.10"), c.ips());
      assertEquals("detector", c.issuedBy());
      assertTrue(KEY.verify(c), "command must carry a valid signature");
      Await.until("the incident published", () -> !published.isEmpty());
      assertEquals(c.incident().id(), published.get(0).id());

      // Alert and storage come up later: the outbox delivers what was waiting.
      List<AlertRequest> alerts = new CopyOnWriteArrayList<>();
      List<StorageWrite> writes = new CopyOnWriteArrayList<>();
      Await.until("the alert and the storage write waiting in the outbox", () -> link.depth() == 2);
      vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, m -> {
        alerts.add(AlertRequest.fromJson(m.body()));
        m.reply(new JsonObject().put("ok", true));
      }).completion().await();
      vertx.eventBus().<JsonObject>consumer(Addresses.STORAGE, m -> {
        writes.add(StorageWrite.fromJson(m.body()));
        m.reply(new JsonObject().put("ok", true));
      }).completion().await();
      Await.until("the alert and the storage write delivered", () -> alerts.size() == 1 && writes.size() == 1);
      assertEquals(c.incident().id() + ":firing", alerts.get(0).id());
      assertEquals("incident:" + c.incident().id() + ":firing", writes.get(0).id());

      // Malformed input is counted, not fatal.
      vertx.eventBus().publish(Addresses.authEvents(HOST), new JsonObject().put("v", 1).put("junk", true));
      Await.until("the malformed message counted", () -> ctx.metrics().counterTotal("panicmode_detector_bad_messages_total") == 1);
      assertEquals(1, ctx.metrics().counterTotal("panicmode_detector_bad_messages_total"));
      link.stop().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void restartKeepsDedupSoNoSecondActionOrAlert() throws Exception {
    PanicConfig cfg = config();
    List<ActionCommand> first = run(cfg, "203.0.113.20", true);
    assertEquals(1, first.size());
    Path state = Path.of(cfg.storage().stateFile());
    assertTrue(Files.exists(state));
    JsonObject saved = new JsonObject(Files.readString(state));
    assertTrue(saved.getJsonObject("incidents").containsKey(HOST + "|ssh|203.0.113.20"), saved.encode());
    assertEquals(300, saved.getInteger("dedup_window_secs"));
    // A new process (fresh Vert.x, fresh shared data) restores the claims from the state file.
    List<ActionCommand> second = run(cfg, "203.0.113.20", false);
    assertEquals(0, second.size(), "the same (host, rule, subject) within the dedup window must not fire again");
    List<ActionCommand> other = run(cfg, "203.0.113.21", true);
    assertEquals(1, other.size());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void alertsAndStorageGoThroughTheProcessOutboxWhenThereIsOne() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NodeContext bare = ctx(config());
      CentralLink link = new CentralLink(vertx, tmp.resolve("outbox.db"), 1000, 2000, bare.metrics());
      link.start().await();
      NodeContext ctx = bare.withCentral(link);
      List<String> delivered = new CopyOnWriteArrayList<>();
      link.onDelivered(delivered::add);
      vertx.eventBus().<JsonObject>consumer(Addresses.action(HOST), m -> {
        ActionCommand c = ActionCommand.fromJson(m.body());
        m.reply(new ActionResult(c.id(), HOST, c.op(), ActionResult.Status.DONE, "", false, c.ips(), 0).toJson());
      }).completion().await();
      for (String a : new String[] {Addresses.ALERTS, Addresses.STORAGE}) {
        vertx.eventBus().<JsonObject>consumer(a, m -> m.reply(new JsonObject().put("ok", true))).completion().await();
      }
      vertx.deployVerticle(new DetectorVerticle(ctx)).await();
      fail3(vertx, "203.0.113.30");
      Await.until("alert and storage write through the outbox", () -> delivered.size() >= 2);
      assertEquals(2, delivered.size(), "alert and storage write, through the outbox: " + delivered);
      assertTrue(delivered.stream().anyMatch(id -> id.endsWith(":firing") && !id.startsWith("incident:")), delivered.toString());
      assertTrue(delivered.stream().anyMatch(id -> id.startsWith("incident:")), delivered.toString());
      link.stop().await();
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Three failures from {@code ip} in a fresh Vert.x. A command that should come is waited for; one
   * that should not has no event to wait on, so after the detector consumed the three events it
   * gets a moment in which a command would have arrived.
   */
  private List<ActionCommand> run(PanicConfig cfg, String ip, boolean expectCommand) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NodeContext ctx = ctx(cfg);
      List<ActionCommand> commands = new CopyOnWriteArrayList<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.action(HOST), m -> {
        ActionCommand c = ActionCommand.fromJson(m.body());
        commands.add(c);
        m.reply(new ActionResult(c.id(), HOST, c.op(), ActionResult.Status.DONE, "", false, c.ips(), 0).toJson());
      }).completion().await();
      String id = vertx.deployVerticle(new DetectorVerticle(ctx)).await();
      fail3(vertx, ip);
      if (expectCommand) {
        Await.until("the block command", () -> !commands.isEmpty());
      } else {
        Await.until("the three failures consumed",
            () -> ctx.metrics().counterValue("panicmode_detector_events_total", "kind", "auth") == 3);
        Thread.sleep(500);
      }
      vertx.undeploy(id).await();
      return commands;
    } finally {
      vertx.close().await();
    }
  }
}
