package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root action verticle on a TLS-secured cluster: a member with a fleet certificate and the
 * host's command key gets a block carried out; a process that joins Hazelcast without the fleet
 * certificate cannot get a message through; a forged and a replayed command are rejected.
 */
class SecuredClusterIT {
  @Test
  void onlyCertifiedAndSignedCommandsReachTheActionVerticle(@TempDir Path dir) throws Exception {
    Path certs = dir.resolve("certs");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    assertEquals(0, CertsCommand.run(new String[] {"init", "--dir", certs.toString()}, quiet, quiet));
    assertEquals(0, CertsCommand.run(new String[] {"issue", "node-a", "--dir", certs.toString()}, quiet, quiet));
    assertEquals(0, CertsCommand.run(new String[] {"issue", "ops", "--dir", certs.toString()}, quiet, quiet));
    String password = Files.readString(certs.resolve("password")).strip();
    Path record = dir.resolve("blocked.txt");
    Path script = dir.resolve("block.sh");
    Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + record + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

    int hzA = PanicProcess.freePort();
    int hzB = PanicProcess.freePort();
    int hzRogue = PanicProcess.freePort();
    String members = "[\"127.0.0.1:" + hzA + "\", \"127.0.0.1:" + hzB + "\", \"127.0.0.1:" + hzRogue + "\"]";
    String tls = """
          tls: {enabled: true, key_store: "%s", key_store_password: "%s", trust_store: "%s", trust_store_password: "%s"}
        """;
    String base = """
        node: {id: node-a}
        storage: {incident_db: "%s/db/incidents.db", snapshot_dir: "%s/snap", log_dir: "%s/log", state_file: "%s/state.json"}
        firewall: {backend: script, block_script: "%s", unblock_script: "%s", restore_on_startup: false}
        performance: {memory_limit_mb: 1024, cpu_limit: 100}
        processes: {dry_run: true}
        cluster:
          enabled: true
          bind: 127.0.0.1
          port: %d
          members: %s
          command_key_file: "%s"
          operator_key_file: "%s"
        """;
    Path configA = dir.resolve("a.yaml");
    Files.writeString(configA, base.formatted(dir, dir, dir, dir, script, script, hzA, members,
        certs.resolve("node-a.command.key"), certs.resolve("operator.key"))
        + tls.formatted(certs.resolve("node-a.p12"), password, certs.resolve("truststore.p12"), password));

    try (PanicProcess actionNode = PanicProcess.start("action-root", dir, Map.of(), "run", "--config",
        configA.toString(), "--roles", "action")) {
      assertTrue(Await.holds(Duration.ofSeconds(60), () -> actionNode.output().contains("PanicMode ready")),
          actionNode.output());

      // A legitimate member: fleet certificate, and the host's command key.
      PanicConfig legit = ConfigLoader.parse(base.formatted(dir, dir, dir, dir, script, script, hzB, members,
          certs.resolve("node-a.command.key"), certs.resolve("operator.key"))
          + tls.formatted(certs.resolve("ops.p12"), password, certs.resolve("truststore.p12"), password), "legit", Map.of());
      Vertx good = clustered(legit);
      // A rogue member: knows the cluster name and joins Hazelcast, but has no fleet certificate.
      PanicConfig rogueCfg = ConfigLoader.parse(base.formatted(dir, dir, dir, dir, script, script, hzRogue, members,
          certs.resolve("node-a.command.key"), certs.resolve("operator.key")), "rogue", Map.of());
      Vertx rogue = clustered(rogueCfg);
      try {
        CommandSigner key = new CommandSigner(HexFormat.of().parseHex(
            Files.readString(certs.resolve("node-a.command.key")).strip()));

        ActionCommand fromRogue = key.sign(block("203.0.113.66"));
        Future<Boolean> rogueFailed = rogue.eventBus().<JsonObject>request(Addresses.action("node-a"), fromRogue.toJson(),
            new DeliveryOptions().setSendTimeout(8000)).map(m -> false).otherwise(true);
        assertTrue(await(rogueFailed), "a node without the fleet certificate got a reply from the action verticle");

        ActionCommand signed = key.sign(block("203.0.113.7"));
        ActionResult ok = send(good, signed);
        assertEquals(ActionResult.Status.DONE, ok.status(), ok.toString());

        ActionResult replay = send(good, signed);
        assertNotEquals(ActionResult.Status.DONE, replay.status(), "a replayed command was carried out again");

        ActionCommand forged = block("203.0.113.8").withSignature("00".repeat(32));
        ActionResult forgedResult = send(good, forged);
        assertNotEquals(ActionResult.Status.DONE, forgedResult.status(), "a forged command was carried out");

        ActionCommand tampered = key.sign(block("203.0.113.9"));
        tampered = new ActionCommand(tampered.id(), tampered.host(), tampered.op(), List.of("198.51.100.99"),
            tampered.processes(), tampered.durationSecs(), tampered.reason(), tampered.target(), tampered.incident(),
            tampered.issuedBy(), tampered.issuedAt(), tampered.signature());
        assertNotEquals(ActionResult.Status.DONE, send(good, tampered).status(), "a tampered command was carried out");

        Thread.sleep(500);
        List<String> blocked = Files.exists(record) ? Files.readAllLines(record, StandardCharsets.UTF_8) : List.of();
        assertEquals(List.of("203.0.113.7"), blocked, "only the certified, signed command may reach the script");
        assertFalse(actionNode.output().contains("203.0.113.66 blocked"));
      } finally {
        await(good.close());
        await(rogue.close());
      }
    }
  }

  private static ActionCommand block(String ip) {
    return new ActionCommand(UUID.randomUUID().toString(), "node-a", "block_ip", List.of(ip), List.of(), 0,
        "test", "", null, "detector", System.currentTimeMillis(), "");
  }

  private static ActionResult send(Vertx v, ActionCommand c) throws Exception {
    Future<ActionResult> f = v.eventBus().<JsonObject>request(Addresses.action("node-a"), c.toJson(),
        new DeliveryOptions().setSendTimeout(15_000)).map(m -> ActionResult.fromJson(m.body()))
        .recover(err -> Future.succeededFuture(new ActionResult(c.id(), "node-a", c.op(), ActionResult.Status.FAILED,
            String.valueOf(err.getMessage()), false, List.of(), 0)));
    return await(f);
  }

  private static Vertx clustered(PanicConfig c) throws Exception {
    VertxOptions o = new VertxOptions().setEventBusOptions(ClusterSetup.eventBusOptions(c.cluster()));
    return await(Vertx.builder().with(o).withClusterManager(ClusterSetup.clusterManager(c.cluster())).buildClustered());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
