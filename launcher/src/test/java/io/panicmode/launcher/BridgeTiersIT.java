package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.Await;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two tiers as shipped: a central process (storage, alert, api, and the bridge) and an agent
 * process (collector, detector, action) that is not a cluster member and reaches the central
 * tier only over the bridge with its certificate. The agent's heartbeats and incidents reach the
 * central storage; an operator's block from the central api reaches the agent's firewall script
 * and the answer says so; the agent JVM runs no Hazelcast.
 */
class BridgeTiersIT {
  private static final String TOKEN = "tiers-token";

  @Test
  void agentOverTheBridgeReportsAndTakesOperatorCommands(@TempDir Path dir) throws Exception {
    Path certs = dir.resolve("certs");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    CertsCommand.init(certs, quiet);
    CertsCommand.issue(certs, "central", quiet);
    CertsCommand.issue(certs, "host-a", quiet);
    String password = Files.readString(certs.resolve("password")).strip();
    int bridgePort = PanicProcess.freePort();
    int api = PanicProcess.freePort();
    Path record = dir.resolve("firewall.txt");
    Path block = script(dir.resolve("block.sh"), "#!/bin/sh\necho \"block $1\" >> '" + record + "'\n");
    Path unblock = script(dir.resolve("unblock.sh"), "#!/bin/sh\necho \"unblock $1\" >> '" + record + "'\n");
    try (FixtureProc proc = new FixtureProc(dir.resolve("proc"))) {
      String tls = """
              tls: {key_store: "%s/%%s.p12", key_store_password: "%s", trust_store: "%s/truststore.p12", trust_store_password: "%s"}
          """.formatted(certs, password, certs, password);
      Path central = Files.writeString(dir.resolve("central.yaml"), """
          node: {id: central}
          storage: {incident_db: "%s/central/incidents.db", snapshot_dir: "%s/central/snap", log_dir: "%s/central/log", state_file: "%s/central/state.json"}
          http_api: {enabled: true, bind: "127.0.0.1:%d", token: %s}
          cluster: {operator_key_file: "%s/operator.key"}
          firewall: {backend: dry_run, ctl_socket: "%s/central/ctl.sock"}
          central:
            bridge:
              listen: true
              port: %d
          """.formatted(dir, dir, dir, dir, api, TOKEN, certs, dir, bridgePort) + tls.formatted("central"));
      Path agent = Files.writeString(dir.resolve("agent.yaml"), """
          node: {id: host-a}
          performance: {check_interval: 500ms, memory_limit_mb: 1024, cpu_limit: 100}
          monitors:
            - {name: high_cpu, type: cpu_usage, threshold: 50, actions: [alert_critical]}
          anomaly: {enabled: false}
          storage: {incident_db: "%s/agent/incidents.db", snapshot_dir: "%s/agent/snap", log_dir: "%s/agent/log", state_file: "%s/agent/state.json"}
          collector: {proc_root: "%s", auth_source: "off"}
          detector: {dedup_window: 1s}
          firewall: {backend: script, block_script: "%s", unblock_script: "%s", restore_on_startup: false, ctl_socket: "%s/agent/ctl.sock"}
          processes: {dry_run: true}
          fleet: {heartbeat_interval: 1s}
          cluster: {command_key_file: "%s/host-a.command.key", operator_key_file: "%s/operator.key"}
          central:
            bridge:
              connect: "127.0.0.1:%d"
          """.formatted(dir, dir, dir, dir, proc.root, block, unblock, dir, certs, certs, bridgePort) + tls.formatted("host-a"));
      List<PanicProcess> all = new ArrayList<>();
      try {
        PanicProcess c = PanicProcess.start("central", dir, Map.of(), "run", "--config", central.toString(), "--roles",
            "storage,alert,api");
        all.add(c);
        PanicProcess a = PanicProcess.start("agent", dir, Map.of(), "run", "--config", agent.toString(), "--roles",
            "collector,detector,action");
        all.add(a);
        for (PanicProcess p : all) {
          assertTrue(Await.holds(Duration.ofSeconds(60), () -> p.output().contains("PanicMode ready")),
              PanicProcess.logs(all, 6000));
        }
        assertTrue(Await.holds(Duration.ofSeconds(60), () -> a.output().contains("connected to the central bridge")),
            PanicProcess.logs(all, 6000));
        assertTrue(Await.holds(Duration.ofSeconds(60), () -> apiGet(api, "/api/v1/incidents").contains("host-a")),
            "no incident of host-a in central storage\n" + PanicProcess.logs(all, 6000));

        HttpResponse<String> blocked = post(api, "/api/v1/blocks",
            new JsonObject().put("ip", "203.0.113.9").put("host", "host-a").put("reason", "tiers test"));
        assertEquals(201, blocked.statusCode(), blocked.body() + "\n" + PanicProcess.logs(all, 6000));
        assertEquals("blocked", new JsonObject(blocked.body()).getString("status"));
        assertTrue(Files.readString(record).contains("block 203.0.113.9"), "the agent's firewall script did not run");

        // A host with no agent behind the bridge: no handler anywhere, so the api says so.
        HttpResponse<String> unknown = post(api, "/api/v1/blocks", new JsonObject().put("ip", "203.0.113.10").put("host", "host-z"));
        assertEquals(404, unknown.statusCode(), unknown.body());

        assertFalse(threadNames(a.process.pid()).stream().anyMatch(n -> n.startsWith("hz.")),
            "the agent runs Hazelcast threads: " + threadNames(a.process.pid()));
        assertTrue(a.output().contains("(local event bus)"), a.output());
      } finally {
        all.forEach(PanicProcess::close);
      }
    }
  }

  private static Path script(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  private static List<String> threadNames(long pid) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      return tasks.map(t -> {
        try {
          return Files.readString(t.resolve("comm")).strip();
        } catch (Exception e) {
          return "";
        }
      }).toList();
    } catch (Exception e) {
      throw new IllegalStateException("cannot list threads of " + pid, e);
    }
  }

  private static String apiGet(int port, String path) {
    try {
      HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
          .header("Authorization", "Bearer " + TOKEN).GET().build();
      HttpResponse<String> resp = HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
      return resp.statusCode() == 200 ? resp.body() : "";
    } catch (Exception e) {
      return "";
    }
  }

  private static HttpResponse<String> post(int port, String path, JsonObject body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(40))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
  }
}
