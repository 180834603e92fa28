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
 * The two tiers as shipped: a central process (storage, alert, api, and the bridge) and two agent
 * processes (collector, detector, action) that are not cluster members and reach the central
 * tier only over the bridge with their own certificates. An agent's heartbeats and incidents
 * reach the central storage; an operator's block, unblock and thaw from the central api reach the
 * agent's firewall and processes, and the signed answer says what was done; a ban one agent
 * shares reaches the other's firewall; the agent JVM runs no Hazelcast.
 */
class BridgeTiersIT {
  private static final String TOKEN = "tiers-token";

  @Test
  void agentsOverTheBridgeReportTakeOperatorCommandsAndShareBans(@TempDir Path dir) throws Exception {
    Path certs = dir.resolve("certs");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    CertsCommand.init(certs, quiet);
    for (String node : List.of("central", "host-a", "host-b")) CertsCommand.issue(certs, node, quiet);
    String password = Files.readString(certs.resolve("password")).strip();
    int bridgePort = PanicProcess.freePort();
    int api = PanicProcess.freePort();
    try (FixtureProc proc = new FixtureProc(dir.resolve("proc"))) {
      String tls = """
              tls: {key_store: "%s/%%s.p12", key_store_password: "%s", trust_store: "%s/truststore.p12", trust_store_password: "%s"}
          """.formatted(certs, password, certs, password);
      // The api verifies every answer with the agents' result keys: an unsigned or forged one counts as failed.
      Path central = Files.writeString(dir.resolve("central.yaml"), """
          node: {id: central}
          storage: {incident_db: "%s/central/incidents.db", snapshot_dir: "%s/central/snap", log_dir: "%s/central/log", state_file: "%s/central/state.json"}
          http_api: {enabled: true, bind: "127.0.0.1:%d", token: %s}
          cluster: {operator_key_file: "%s/operator.key", result_keys_dir: "%s/results"}
          firewall: {backend: dry_run, ctl_socket: "%s/central/ctl.sock"}
          central:
            bridge:
              listen: true
              port: %d
          """.formatted(dir, dir, dir, dir, api, TOKEN, certs, certs, dir, bridgePort) + tls.formatted("central"));
      List<PanicProcess> all = new ArrayList<>();
      try {
        PanicProcess c = PanicProcess.start("central", dir, Map.of(), "run", "--config", central.toString(), "--roles",
            "storage,alert,api");
        all.add(c);
        PanicProcess a = startAgent("host-a", dir, certs, proc, bridgePort, tls);
        all.add(a);
        PanicProcess b = startAgent("host-b", dir, certs, proc, bridgePort, tls);
        all.add(b);
        for (PanicProcess p : all) {
          assertTrue(Await.holds(Duration.ofSeconds(60), () -> p.output().contains("PanicMode ready")),
              PanicProcess.logs(all, 6000));
        }
        for (PanicProcess p : List.of(a, b)) {
          assertTrue(Await.holds(Duration.ofSeconds(60), () -> p.output().contains("connected to the central bridge")),
              PanicProcess.logs(all, 6000));
        }
        assertTrue(Await.holds(Duration.ofSeconds(60), () -> apiGet(api, "/api/v1/incidents").contains("host-a")),
            "no incident of host-a in central storage\n" + PanicProcess.logs(all, 6000));

        HttpResponse<String> blocked = post(api, "/api/v1/blocks",
            new JsonObject().put("ip", "203.0.113.9").put("host", "host-a").put("reason", "tiers test"));
        assertEquals(201, blocked.statusCode(), blocked.body() + "\n" + PanicProcess.logs(all, 6000));
        assertEquals("blocked", new JsonObject(blocked.body()).getString("status"));
        assertTrue(firewall(dir, "host-a").contains("block 203.0.113.9"), "host-a's firewall script did not run");
        // host-a shares the ban through the central tier: host-b's firewall applies it too.
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> firewall(dir, "host-b").contains("block 203.0.113.9")),
            "the shared ban did not reach host-b\n" + PanicProcess.logs(all, 6000));

        HttpResponse<String> unblocked = send(api, "DELETE", "/api/v1/blocks/203.0.113.9?host=host-a", null);
        assertEquals(200, unblocked.statusCode(), unblocked.body());
        assertEquals("unblocked", new JsonObject(unblocked.body()).getString("status"));
        assertTrue(firewall(dir, "host-a").contains("unblock 203.0.113.9"), "host-a's unblock script did not run");

        // Nothing of host-b's is frozen: the answer comes from host-b and says it did nothing.
        HttpResponse<String> thaw = send(api, "POST", "/api/v1/processes/4242/thaw", new JsonObject().put("host", "host-b"));
        assertEquals(409, thaw.statusCode(), thaw.body());
        JsonObject answer = new JsonObject(thaw.body()).getJsonObject("result");
        assertEquals("host-b", answer.getString("host"));
        assertEquals("skipped", answer.getString("status"));

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

  @Test
  void anAgentWhoseCertificateNamesAnotherHostDoesNotStart(@TempDir Path dir) throws Exception {
    Path certs = dir.resolve("certs");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    CertsCommand.init(certs, quiet);
    CertsCommand.issue(certs, "host-a", quiet);
    String password = Files.readString(certs.resolve("password")).strip();
    Path agent = Files.writeString(dir.resolve("agent.yaml"), """
        node: {id: host-b}
        storage: {incident_db: "%1$s/agent/incidents.db", snapshot_dir: "%1$s/agent/snap", log_dir: "%1$s/agent/log", state_file: "%1$s/agent/state.json"}
        firewall: {backend: dry_run, ctl_socket: "%1$s/agent/ctl.sock"}
        cluster: {command_key_file: "%2$s/host-a.command.key", operator_key_file: "%2$s/operator.key"}
        central:
          bridge:
            connect: "127.0.0.1:1"
            tls: {key_store: "%2$s/host-a.p12", key_store_password: "%3$s", trust_store: "%2$s/truststore.p12", trust_store_password: "%3$s"}
        """.formatted(dir, certs, password));
    try (PanicProcess p = PanicProcess.start("agent", dir, Map.of(), "run", "--config", agent.toString(), "--roles", "action")) {
      assertTrue(Await.holds(Duration.ofSeconds(60), () -> !p.process.isAlive()), p.output());
      assertTrue(p.process.exitValue() != 0, p.output());
      assertTrue(p.output().contains("names host \"host-a\" but node.id is \"host-b\""), p.output());
    }
  }

  /** An agent process for {@code host} with its own certificate, keys and firewall scripts recording to firewall-HOST.txt. */
  private static PanicProcess startAgent(String host, Path dir, Path certs, FixtureProc proc, int bridgePort, String tls)
      throws Exception {
    Path record = dir.resolve("firewall-" + host + ".txt");
    Path block = script(dir.resolve("block-" + host + ".sh"), "#!/bin/sh\necho \"block $1\" >> '" + record + "'\n");
    Path unblock = script(dir.resolve("unblock-" + host + ".sh"), "#!/bin/sh\necho \"unblock $1\" >> '" + record + "'\n");
    Path state = dir.resolve(host);
    Path config = Files.writeString(dir.resolve(host + ".yaml"), """
        node: {id: %s}
        performance: {check_interval: 500ms, memory_limit_mb: 1024, cpu_limit: 100}
        monitors:
          - {name: high_cpu, type: cpu_usage, threshold: 50, actions: [alert_critical]}
        anomaly: {enabled: false}
        storage: {incident_db: "%s/incidents.db", snapshot_dir: "%s/snap", log_dir: "%s/log", state_file: "%s/state.json"}
        collector: {proc_root: "%s", auth_source: "off"}
        detector: {dedup_window: 1s}
        firewall: {backend: script, block_script: "%s", unblock_script: "%s", restore_on_startup: false, ctl_socket: "%s/ctl.sock"}
        processes: {dry_run: true}
        fleet: {heartbeat_interval: 1s, share_bans: true}
        cluster: {command_key_file: "%s/%s.command.key", operator_key_file: "%s/operator.key", result_key_file: "%s/%s.result.key"}
        central:
          bridge:
            connect: "127.0.0.1:%d"
        """.formatted(host, state, state, state, state, proc.root, block, unblock, state, certs, host, certs, certs, host,
        bridgePort) + tls.formatted(host));
    return PanicProcess.start(host, dir, Map.of(), "run", "--config", config.toString(), "--roles",
        "collector,detector,action");
  }

  private static String firewall(Path dir, String host) {
    try {
      Path f = dir.resolve("firewall-" + host + ".txt");
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (Exception e) {
      return "";
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
    return send(port, "POST", path, body);
  }

  private static HttpResponse<String> send(int port, String method, String path, JsonObject body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(40))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
  }
}
