package io.panicmode.detector.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.Incident;
import io.panicmode.detector.DetectorVerticle;
import io.panicmode.runtime.NodeContext;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two detector instances for the same host in two clustered JVMs (this one and a forked one),
 * Hazelcast on 127.0.0.1 only, receive the same auth events: each incident fires exactly once,
 * with exactly one block command, and both detectors did see every crossing.
 */
class TwoJvmClusterTest {
  static final String STATS_ADDRESS = "panicmode.test.detector-stats";
  static final int IPS = 6;

  @TempDir Path tmp;

  static JsonObject stats(NodeContext ctx) {
    return new JsonObject()
        .put("fired", ctx.metrics().counterValue("panicmode_detector_incidents_total", "state", "firing"))
        .put("dedup", ctx.metrics().counterTotal("panicmode_detector_deduplicated_total"))
        .put("claimErrors", ctx.metrics().counterTotal("panicmode_detector_claim_errors_total"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  @Timeout(value = 150, timeUnit = TimeUnit.SECONDS)
  void eachIncidentFiresOnceAcrossTwoJvms() throws Exception {
    String cluster = "panicmode-detector-test-" + UUID.randomUUID();
    int ownPort = freePort();
    int childPort = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx192m", "-XX:+UseSerialGC", "-Dvertx.disableDnsResolver=true",
        "-cp", System.getProperty("java.class.path"), ClusterDetectorMain.class.getName(),
        cluster, Integer.toString(childPort), Integer.toString(ownPort), tmp.resolve("b/state.json").toString());
    pb.redirectError(tmp.resolve("child.err").toFile());
    Process child = pb.start();
    Vertx vertx = null;
    try {
      vertx = ClusterNode.start(cluster, ownPort, List.of(ownPort, childPort));
      List<ActionCommand> commands = new CopyOnWriteArrayList<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.action(ClusterNode.HOST), m -> {
        ActionCommand c = ActionCommand.fromJson(m.body());
        commands.add(c);
        m.reply(new ActionResult(c.id(), c.host(), c.op(), ActionResult.Status.DONE, "", false, c.ips(), 0).toJson());
      }).completion().await();
      List<Incident> incidents = new CopyOnWriteArrayList<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.INCIDENTS, m -> incidents.add(Incident.fromJson(m.body())))
          .completion().await();
      NodeContext ctx = ClusterNode.context(tmp.resolve("a/state.json"));
      vertx.deployVerticle(new DetectorVerticle(ctx)).await();

      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("READY", out.readLine(), "child detector did not start; see " + tmp.resolve("child.err"));
      // The child's consumers are registered cluster-wide once it can answer us.
      JsonObject before = vertx.eventBus().<JsonObject>request(STATS_ADDRESS, new JsonObject(),
          new DeliveryOptions().setSendTimeout(10_000)).await().body();
      assertEquals(0, before.getLong("fired"));

      for (int round = 0; round < 4; round++) {
        for (int i = 1; i <= IPS; i++) {
          vertx.eventBus().publish(Addresses.authEvents(ClusterNode.HOST),
              new AuthEvent(ClusterNode.HOST, System.currentTimeMillis(), "203.0.113." + i, "root", "invalid_user", 22)
                  .toJson());
        }
      }
      Vertx parent = vertx;
      Await.until("both JVMs saw every crossing", () -> {
        JsonObject s = parent.eventBus().<JsonObject>request(STATS_ADDRESS, new JsonObject()).await().body();
        return s.getLong("fired") + s.getLong("dedup") >= IPS && stats(ctx).getLong("fired") + stats(ctx).getLong("dedup") >= IPS;
      });
      Thread.sleep(1500); // no event says "no duplicate": room for one to show up if there were one

      JsonObject theirs = vertx.eventBus().<JsonObject>request(STATS_ADDRESS, new JsonObject()).await().body();
      JsonObject ours = stats(ctx);
      assertEquals(IPS, theirs.getLong("fired") + theirs.getLong("dedup"), "child saw every crossing: " + theirs);
      assertEquals(IPS, ours.getLong("fired") + ours.getLong("dedup"), "parent saw every crossing: " + ours);
      assertEquals(IPS, theirs.getLong("fired") + ours.getLong("fired"), "fired once in total: " + ours + " " + theirs);
      assertEquals(0, theirs.getLong("claimErrors") + ours.getLong("claimErrors"));

      Map<String, Integer> perIp = new HashMap<>();
      for (Incident inc : incidents) {
        assertEquals(Incident.State.FIRING, inc.state());
        for (String ip : inc.subjects().ips()) perIp.merge(ip, 1, Integer::sum);
      }
      assertEquals(IPS, incidents.size(), "incidents: " + incidents);
      List<String> blocked = new ArrayList<>();
      for (ActionCommand c : commands) {
        assertEquals("block_ip", c.op());
        assertTrue(ClusterNode.KEY.verify(c));
        blocked.addAll(c.ips());
      }
      assertEquals(IPS, blocked.size(), "one block per IP: " + blocked);
      for (int i = 1; i <= IPS; i++) {
        assertEquals(1, perIp.get("203.0.113." + i));
        assertTrue(blocked.contains("203.0.113." + i));
      }
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(15, TimeUnit.SECONDS)) {
        child.destroy();
        if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly();
      }
      if (vertx != null) vertx.close().await();
    }
  }
}
