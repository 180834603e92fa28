package io.panicmode.launcher;

import static io.panicmode.launcher.BridgeRig.await;
import static io.panicmode.launcher.BridgeRig.incident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.Heartbeat;
import io.panicmode.contracts.StorageQuery;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.launcher.bridge.BridgeClient;
import io.panicmode.launcher.bridge.BridgePolicy;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.outbox.CentralLink;
import io.panicmode.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two tiers over a real bridge: a central node (real storage, mutual TLS on 127.0.0.1) and
 * agents in another Vert.x instance with certificates issued by {@code panicmode certs}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeTest {
  /** The test-suite size of bench/bridge.sh: a few seconds, not minutes. */
  private static final int AGENTS = 20;
  @TempDir static Path certs;
  @TempDir Path dir;
  private BridgeRig rig;
  private Vertx agents;

  @BeforeAll
  static void issueCertificates() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    CertsCommand.init(certs, quiet);
    for (String node : List.of("central", "host-a", "host-b")) CertsCommand.issue(certs, node, quiet);
    for (int i = 0; i < AGENTS; i++) CertsCommand.issue(certs, "agent-" + i, quiet);
  }

  @BeforeEach
  void start() throws Exception {
    rig = new BridgeRig(dir, certs);
    rig.startCentral();
    agents = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    await(agents.close());
    rig.close();
  }

  private BridgeClient connect(String node) throws Exception {
    BridgeClient c = new BridgeClient(agents, node, rig.agentConfig(node), new MetricsRegistry());
    await(c.start());
    Await.until("connected to the bridge", c::isConnected);
    return c;
  }

  private long refused(String reason) {
    return rig.centralMetrics.counterValue("panicmode_bridge_refused_total", "reason", reason);
  }

  private int storedIncidents(String host) throws Exception {
    JsonObject page = await(rig.central.eventBus().<JsonObject>request(Addresses.STORAGE_QUERY,
        StorageQuery.incidents(host, null, null, null, null, System.currentTimeMillis(), 1000, null).toJson())).body();
    return page.getJsonArray("items").size();
  }

  @Test
  void incidentsSentThroughTheOutboxReachCentralStorage() throws Exception {
    BridgeClient client = connect("host-a");
    CentralLink link = new CentralLink(agents, dir.resolve("outbox-a.db"), 1000, 5000, new MetricsRegistry());
    link.useTransport(client::request);
    await(link.start());
    Set<String> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    link.onDelivered(delivered::add);
    for (int i = 0; i < 20; i++) {
      StorageWrite w = StorageWrite.incident(incident("a-" + i, "host-a"));
      await(link.send(Addresses.STORAGE, w.id(), w.toJson()));
    }
    Await.until("20 writes delivered", () -> delivered.size() == 20);
    assertEquals(20, storedIncidents("host-a"));
    assertEquals(0, link.depth());
    await(link.stop());
  }

  @Test
  void anAgentCannotWriteOrPublishForAnotherHostAndEachRefusalIsCounted() throws Exception {
    BridgeClient client = connect("host-a");
    StorageWrite forged = StorageWrite.incident(incident("forged-1", "host-b"));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(client.request(Addresses.STORAGE, forged.toJson(), 10_000)));
    ReplyException refusal = assertInstanceOf(ReplyException.class, e.getCause());
    assertEquals(403, refusal.failureCode());
    assertEquals(1, refused(BridgePolicy.OTHER_HOST));

    client.publish(Addresses.HEARTBEAT, new Heartbeat("host-b", "n", Map.of(), "1", 1, 1, Map.of()).toJson());
    Await.until("the second other-host message refused", () -> refused(BridgePolicy.OTHER_HOST) == 2);
    client.publish("panicmode.storage.query", new JsonObject());
    Await.until("the address refused", () -> refused(BridgePolicy.ADDRESS) == 1);
    assertEquals(0, storedIncidents("host-b"));

    // Its own host's write still goes through on the same connection.
    StorageWrite own = StorageWrite.incident(incident("own-1", "host-a"));
    assertEquals(true, await(client.request(Addresses.STORAGE, own.toJson(), 10_000)).getBoolean("ok"));
  }

  @Test
  void commandsReachOnlyTheAgentTheyAreAddressedTo() throws Exception {
    agents.eventBus().<JsonObject>localConsumer(Addresses.action("host-a"),
        m -> m.reply(new JsonObject().put("applied", true).put("op", m.body().getString("op"))));
    BridgeClient a = connect("host-a");
    a.serve(Addresses.action("host-a"));
    // host-a also tries to receive host-b's commands.
    a.serve(Addresses.action("host-b"));
    Await.until("the address refused", () -> refused(BridgePolicy.ADDRESS) == 1);

    DeliveryOptions wait = new DeliveryOptions().setSendTimeout(10_000);
    JsonObject answer = null;
    while (answer == null) {
      // The registration travels on its own; until it lands the central bus has no handler.
      try {
        answer = await(rig.central.eventBus().<JsonObject>request(Addresses.action("host-a"),
            new JsonObject().put("op", "block_ip"), wait)).body();
      } catch (ExecutionException e) {
        assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) e.getCause()).failureType());
        Thread.sleep(20);
      }
    }
    assertEquals(true, answer.getBoolean("applied"));
    ExecutionException none = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(rig.central.eventBus().request(Addresses.action("host-b"), new JsonObject(), wait)));
    assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) none.getCause()).failureType());
  }

  @Test
  void sharedBansReachOtherAgentsAndNoAgentSharesABanInAnotherHostsName() throws Exception {
    // Each agent on a bus of its own, as on its own host.
    Vertx hostB = Vertx.vertx();
    try {
      BridgeClient a = connect("host-a");
      BridgeClient b = new BridgeClient(hostB, "host-b", rig.agentConfig("host-b"), new MetricsRegistry());
      await(b.start());
      Await.until("host-b connected to the bridge", b::isConnected);
      List<JsonObject> atB = new java.util.concurrent.CopyOnWriteArrayList<>();
      hostB.eventBus().<JsonObject>localConsumer(Addresses.SHARED_BANS, m -> {
        // Marked, so host-b's own forwarder does not send it back to the central tier.
        assertTrue(m.headers().contains(BridgeClient.FROM_CENTRAL));
        atB.add(m.body());
      });
      b.serve(Addresses.SHARED_BANS);
      long now = System.currentTimeMillis();
      // host-b's registration travels on its own: repeat a first ban until it arrives.
      while (atB.isEmpty()) {
        a.publish(Addresses.SHARED_BANS, new BlockRecord("host-a", "203.0.113.1", now, null, "probe", null, 1).toJson());
        Thread.sleep(50);
      }
      a.publish(Addresses.SHARED_BANS, new BlockRecord("host-b", "203.0.113.66", now, null, "forged", null, 1).toJson());
      a.publish(Addresses.SHARED_BANS, new BlockRecord("host-a", "203.0.113.2", now, null, "flood", null, 1).toJson());
      Await.until("host-a's own ban shared to host-b", () -> atB.stream().anyMatch(r -> "203.0.113.2".equals(r.getString("ip"))));
      assertEquals(1, refused(BridgePolicy.OTHER_HOST));
      assertTrue(atB.stream().allMatch(r -> "host-a".equals(r.getString("host"))), "a ban in host-b's name went out: " + atB);
      await(b.close());
    } finally {
      await(hostB.close());
    }
  }

  @Test
  void anAgentCannotAnswerACommandItWasNotSent() throws Exception {
    // A command to someone else is waiting for its answer on the central bus.
    String owed = "__vertx.reply.bridge-test-1";
    List<Object> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
    await(rig.central.eventBus().consumer(owed, m -> answers.add(m.body())).completion());
    var options = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
        .setKeyCertOptions(new PfxOptions().setPath(certs.resolve("host-a.p12").toString()).setPassword(rig.password))
        .setTrustOptions(new PfxOptions().setPath(certs.resolve("truststore.p12").toString()).setPassword(rig.password));
    var socket = await(agents.createNetClient(options).connect(rig.port, "127.0.0.1"));
    // The central side refuses it either with an error frame or by closing the connection (seen in
    // about half the runs, a few ms after the frame); either way nothing may reach the bus.
    Promise<JsonObject> outcome = Promise.promise();
    socket.handler(new io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameParser(f -> {
      if (f.succeeded()) outcome.tryComplete(f.result());
    }));
    socket.closeHandler(v -> outcome.tryComplete(new JsonObject().put("type", "closed")));
    FrameHelper.sendFrame("send", owed, null, null, true, new JsonObject().put("status", "done"), socket);
    JsonObject frame = await(outcome.future());
    if (!"closed".equals(frame.getString("type"))) {
      assertEquals("err", frame.getString("type"));
      assertEquals("access_denied", frame.getString("message"));
    }
    // A forwarded answer would arrive on the central bus at once; give it a moment to show.
    Thread.sleep(300);
    assertTrue(answers.isEmpty(), "a forged answer reached the central bus: " + answers);
  }

  @Test
  void aClientWithoutACertificateCannotConnect() throws Exception {
    var options = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
        .setTrustOptions(new PfxOptions().setPath(certs.resolve("truststore.p12").toString()).setPassword(rig.password));
    var client = agents.createNetClient(options);
    Promise<Boolean> closed = Promise.promise();
    client.connect(rig.port, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        closed.complete(true);
        return;
      }
      // TLS 1.3 may finish the client's side before the server checks the certificate: then it hangs up.
      ar.result().closeHandler(v -> closed.tryComplete(true));
      ar.result().handler(b -> closed.tryComplete(false));
      StorageWrite w = StorageWrite.incident(incident("anon-1", "host-a"));
      FrameHelper.sendFrame("send", Addresses.STORAGE, "r1", null, true, w.toJson(), ar.result());
    });
    assertTrue(await(closed.future()), "a client without a certificate got an answer");
    assertEquals(0, storedIncidents("host-a"));
  }

  @Test
  void theOutboxLosesNothingWhileCentralIsAway() throws Exception {
    BridgeClient client = connect("host-a");
    CentralLink link = new CentralLink(agents, dir.resolve("outbox-a.db"), 10_000, 2000, new MetricsRegistry());
    link.useTransport(client::request);
    await(link.start());
    Set<String> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    link.onDelivered(delivered::add);

    rig.stopCentral();
    Await.until("the client sees the central gone", () -> !client.isConnected());
    int n = 200;
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      StorageWrite w = StorageWrite.incident(incident("down-" + i, "host-a"));
      ids.add(w.id());
      await(link.send(Addresses.STORAGE, w.id(), w.toJson()));
    }
    assertEquals(n, link.depth());
    rig.startCentral();
    Await.until("the backlog delivered", () -> delivered.size() == n);
    assertEquals(ids, delivered);
    assertEquals(n, storedIncidents("host-a"));
    assertEquals(0, link.depth());
    await(link.stop());
  }

  @Test
  void twentyAgentsWithReconnectsLoseNothing() throws Exception {
    BridgeClient[] clients = new BridgeClient[AGENTS];
    List<CentralLink> links = new java.util.ArrayList<>();
    Set<String> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    for (int i = 0; i < AGENTS; i++) {
      int a = i;
      clients[a] = connect("agent-" + a);
      CentralLink link = new CentralLink(agents, dir.resolve("outbox-" + a + ".db"), 1000, 5000, new MetricsRegistry());
      link.useTransport((address, body, timeoutMs) -> clients[a].request(address, body, timeoutMs));
      link.onDelivered(delivered::add);
      await(link.start());
      links.add(link);
    }
    int perAgent = 25;
    for (int n = 0; n < perAgent; n++) {
      if (n == perAgent / 2) {
        // Churn: 10 % of the agents drop their connection and come back on a new one mid-stream.
        for (int a = 0; a < AGENTS / 10; a++) {
          BridgeClient old = clients[a];
          clients[a] = new BridgeClient(agents, "agent-" + a, rig.agentConfig("agent-" + a), new MetricsRegistry());
          await(old.close());
          await(clients[a].start());
        }
      }
      for (int a = 0; a < AGENTS; a++) {
        StorageWrite w = StorageWrite.incident(incident("agent-" + a + "-" + n, "agent-" + a));
        await(links.get(a).send(Addresses.STORAGE, w.id(), w.toJson()));
      }
    }
    Await.until("every agent's writes delivered", () -> delivered.size() == AGENTS * perAgent);
    int stored = 0;
    for (int a = 0; a < AGENTS; a++) stored += storedIncidents("agent-" + a);
    assertEquals(AGENTS * perAgent, stored, "lost incidents");
    for (CentralLink link : links) {
      assertEquals(0, link.depth());
      await(link.stop());
    }
  }
}
