package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks on {@code panicmode.action.<host>} by a cluster member, against the real action and
 * api roles in their own JVM (results signed with the host's result key, the api holding the public
 * key): a foreign JVM registers a consumer on the address and answers "done" to what it receives:
 * the action role reports it within 10 s (critical incident in its log, degraded /health), the
 * api answers failure for every command the forger took and records none of them, and only bans
 * the script really applied come back 201. Then the foreign consumer goes (health ok again) and the
 * member deletes the action role's own subscription: reported within 10 s as missing, registered
 * again, and bans work without a restart.
 */
class ActionAddressTrustIT {
  private static final String TOKEN = "trust-it-token-0123456789";
  private static final Duration DETECTION = Duration.ofSeconds(10);

  @Test
  void aForeignConsumerIsDetectedAndItsForgedResultsRejected(@TempDir Path dir) throws Exception {
    Path certs = dir.resolve("certs");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    assertEquals(0, CertsCommand.run(new String[] {"init", "--dir", certs.toString()}, quiet, quiet));
    assertEquals(0, CertsCommand.run(new String[] {"issue", "node-a", "--dir", certs.toString()}, quiet, quiet));
    Path record = dir.resolve("blocked.txt");
    Path script = dir.resolve("block.sh");
    Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + record + "'\n");
    script.toFile().setExecutable(true, true);

    int hzA = PanicProcess.freePort();
    int hzForger = PanicProcess.freePort();
    int apiPort = PanicProcess.freePort();
    String members = "[\"127.0.0.1:" + hzA + "\", \"127.0.0.1:" + hzForger + "\"]";
    Path configA = dir.resolve("a.yaml");
    Files.writeString(configA, """
        node: {id: node-a}
        storage: {incident_db: "%1$s/db/incidents.db", snapshot_dir: "%1$s/snap", log_dir: "%1$s/log", state_file: "%1$s/state.json"}
        firewall: {backend: script, block_script: "%2$s", unblock_script: "%2$s", restore_on_startup: false}
        performance: {memory_limit_mb: 1024, cpu_limit: 100}
        processes: {dry_run: true}
        http_api: {enabled: true, bind: "127.0.0.1:%3$d", token: %4$s}
        cluster:
          enabled: true
          bind: 127.0.0.1
          port: %5$d
          members: %6$s
          command_key_file: "%7$s/node-a.command.key"
          operator_key_file: "%7$s/operator.key"
          result_key_file: "%7$s/node-a.result.key"
          result_keys_dir: "%7$s/results"
        """.formatted(dir, script, apiPort, TOKEN, hzA, members, certs));

    try (PanicProcess node = PanicProcess.start("action-and-api", dir, Map.of(), "run", "--config", configA.toString(),
        "--roles", "action,api")) {
      assertTrue(Await.holds(Duration.ofSeconds(90), () -> node.output().contains("PanicMode ready")), node.output());
      assertTrue(Await.holds(Duration.ofSeconds(10), () -> "ok".equals(actionHealth(apiPort))), node.output());

      PanicConfig forgerCfg = ConfigLoader.parse("""
          node: {id: forger}
          cluster: {enabled: true, bind: 127.0.0.1, port: %d, members: %s}
          """.formatted(hzForger, members), "forger", Map.of());
      HazelcastClusterManager forgerCluster = ClusterSetup.clusterManager(forgerCfg.cluster());
      Vertx forger = await(Vertx.builder()
          .with(new VertxOptions().setEventBusOptions(ClusterSetup.eventBusOptions(forgerCfg.cluster())))
          .withClusterManager(forgerCluster).buildClustered());
      try {
        List<String> taken = new CopyOnWriteArrayList<>();
        MessageConsumer<JsonObject> hijack = forger.eventBus().consumer(Addresses.action("node-a"), m -> {
          ActionCommand c = ActionCommand.fromJson(m.body());
          taken.add(c.ips().get(0));
          m.reply(new ActionResult(c.id(), c.host(), c.op(), ActionResult.Status.DONE, "", false, c.ips(),
              System.currentTimeMillis()).toJson());
        });
        await(hijack.completion());
        long registered = System.nanoTime();
        assertTrue(Await.holds(DETECTION, () -> reason(apiPort).contains("foreign consumer on panicmode.action.node-a")),
            "foreign consumer not reported within 10 s: " + reason(apiPort) + "\n" + node.output());
        long detectedMs = (System.nanoTime() - registered) / 1_000_000;
        System.out.println("foreign consumer reported after " + detectedMs + " ms");
        assertEquals("degraded", actionHealth(apiPort));
        assertTrue(node.output().contains("foreign consumer on panicmode.action.node-a"), node.output());

        // The api sends round-robin to both consumers: whatever the forger took must fail.
        int created = 0;
        int unverified = 0;
        for (int i = 1; i <= 10; i++) {
          String ip = "203.0.113." + i;
          HttpResponse<String> r = post("/api/v1/blocks", "{\"ip\":\"" + ip + "\"}", apiPort);
          if (r.statusCode() == 201) {
            created++;
            assertTrue(blocked(record).contains(ip), ip + " answered 201 but the firewall script never saw it");
          } else {
            assertEquals(502, r.statusCode(), r.body());
            assertTrue(r.body().contains("unverified result"), r.body());
            unverified++;
          }
        }
        assertFalse(taken.isEmpty(), "the forger received no command: the attack was not exercised");
        assertEquals(taken.size(), unverified, "every command the forger took must fail, and only those");
        assertEquals(10 - taken.size(), created);
        for (String ip : taken) assertFalse(blocked(record).contains(ip), ip);

        await(hijack.unregister());
        assertTrue(Await.holds(DETECTION, () -> "ok".equals(actionHealth(apiPort))),
            "health not ok after the foreign consumer left: " + reason(apiPort));

        // A member deletes the action role's own subscription (the attack that made every ban 404).
        forgerCluster.getHazelcastInstance().getMultiMap("__vertx.subs").remove(Addresses.action("node-a"));
        long deleted = System.nanoTime();
        assertTrue(Await.holds(DETECTION, () -> reason(apiPort).contains("missing from the cluster")),
            "lost subscription not reported within 10 s: " + reason(apiPort) + "\n" + node.output());
        long lostMs = (System.nanoTime() - deleted) / 1_000_000;
        // The action role registers again: commands reach it without a restart.
        assertTrue(Await.holds(DETECTION, () -> "ok".equals(actionHealth(apiPort))),
            "health not ok after registering again: " + reason(apiPort) + "\n" + node.output());
        HttpResponse<String> after = post("/api/v1/blocks", "{\"ip\":\"203.0.113.99\"}", apiPort);
        assertEquals(201, after.statusCode(), after.body());
        assertTrue(blocked(record).contains("203.0.113.99"));
        System.out.println("lost subscription reported after " + lostMs + " ms; forger took "
            + taken.size() + " of 10 bans, all refused");
      } finally {
        await(forger.close());
      }
    }
  }

  private static List<String> blocked(Path record) throws Exception {
    return Files.exists(record) ? Files.readAllLines(record) : List.of();
  }

  private static JsonObject health(int port) {
    try {
      HttpResponse<String> r = PanicProcess.get("http://127.0.0.1:" + port + "/health");
      return new JsonObject(r.body());
    } catch (Exception e) {
      return new JsonObject();
    }
  }

  private static String actionHealth(int port) {
    return health(port).getJsonObject("roles", new JsonObject()).getString("action", "");
  }

  private static String reason(int port) {
    return health(port).getJsonObject("reasons", new JsonObject()).getString("action", "");
  }

  private static HttpResponse<String> post(String path, String body, int port) throws Exception {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
