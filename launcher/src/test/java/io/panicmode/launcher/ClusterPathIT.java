package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.Await;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three PanicMode JVMs clustered over Hazelcast on loopback — collector+detector, alert+storage,
 * api — carry a CPU incident from a fixture /proc to a webhook, the SQLite file and the REST API;
 * the alert+storage process is SIGKILLed and restarted and the next incident still arrives.
 */
class ClusterPathIT {
  @Test
  void incidentTravelsAcrossThreeClusteredJvms(@TempDir Path dir) throws Exception {
    int hz1 = PanicProcess.freePort();
    int hz2 = PanicProcess.freePort();
    int hz3 = PanicProcess.freePort();
    int api = PanicProcess.freePort();
    Path db = dir.resolve("data/incidents.db");
    Files.writeString(dir.resolve("command.key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
    try (FixtureProc proc = new FixtureProc(dir.resolve("proc")); WebhookSink hook = new WebhookSink()) {
      String members = "[\"127.0.0.1:" + hz1 + "\", \"127.0.0.1:" + hz2 + "\", \"127.0.0.1:" + hz3 + "\"]";
      String common = """
          node: {id: it-cluster}
          performance: {check_interval: 500ms, memory_limit_mb: 1024, cpu_limit: 100}
          monitors:
            - {name: high_cpu, type: cpu_usage, threshold: 50, actions: [alert_critical]}
          anomaly: {enabled: false}
          alerts:
            critical: [{channel: webhook, webhook_url: "%s", retries: 2, timeout: 2s}]
          storage:
            incident_db: "%s"
            snapshot_dir: "%s/snapshots"
            log_dir: "%s/log"
            state_file: "%s/state.json"
          http_api: {enabled: true, bind: "127.0.0.1:%d", token: it-token}
          collector: {proc_root: "%s", auth_source: "off"}
          detector: {dedup_window: 1s, rate_limits: {critical: 0s}}
          firewall: {backend: dry_run}
          processes: {dry_run: true}
          fleet: {heartbeat_interval: 1s}
          """.formatted(hook.url(), db, dir, dir, dir, api, proc.root);
      List<PanicProcess> all = new ArrayList<>();
      try {
        Path c1 = write(dir, "agent.yaml", common + cluster(hz1, members, dir));
        Path c2 = write(dir, "central.yaml", common + cluster(hz2, members, dir));
        Path c3 = write(dir, "api.yaml", common + cluster(hz3, members, dir));
        PanicProcess agent = PanicProcess.start("collector-detector", dir, Map.of(), "run", "--config", c1.toString(),
            "--roles", "collector,detector");
        PanicProcess central = PanicProcess.start("alert-storage", dir, Map.of(), "run", "--config", c2.toString(),
            "--roles", "alert,storage");
        PanicProcess apiNode = PanicProcess.start("api", dir, Map.of(), "run", "--config", c3.toString(),
            "--roles", "api");
        all.addAll(List.of(agent, central, apiNode));

        assertTrue(Await.holds(Duration.ofSeconds(90), () -> hook.count("high_cpu") > 0),
            "no webhook alert.\n" + PanicProcess.logs(all, 6000));
        String firstId = firingIds(hook).iterator().next();
        for (PanicProcess p : all) {
          assertTrue(Await.holds(Duration.ofSeconds(20), () -> p.output().contains("PanicMode ready")),
              p.name + " never ready:\n" + p.output());
          System.out.printf("FIGURE %s: ready after %d ms, RSS %d MiB%n", p.name, readyMs(p), p.rssKib() / 1024);
        }
        assertTrue(Await.holds(Duration.ofSeconds(20), () -> storedIds(db).contains(firstId)),
            "incident " + firstId + " not in SQLite.\n" + PanicProcess.logs(all, 6000));
        assertTrue(Await.holds(Duration.ofSeconds(20), () -> apiIncidents(api).contains(firstId)),
            "incident not listed by the API.\n" + PanicProcess.logs(all, 6000));

        for (PanicProcess p : all) {
          for (String s : p.sockets()) {
            assertTrue(s.contains("0100007F:") || s.contains("0000000000000000FFFF00000100007F:"),
                p.name + " has a socket outside 127.0.0.1: " + s);
            assertTrue(s.startsWith("tcp"), p.name + " holds a UDP socket (multicast or DNS): " + s);
          }
        }

        central.sigkill();
        PanicProcess restarted = PanicProcess.start("alert-storage-restarted", dir, Map.of(), "run", "--config",
            c2.toString(), "--roles", "alert,storage");
        all.add(restarted);
        proc.busy(false);
        Thread.sleep(3000);
        proc.busy(true);
        assertTrue(Await.holds(Duration.ofSeconds(90), () -> firingIds(hook).size() >= 2),
            "no second incident after the restart.\n" + PanicProcess.logs(all, 6000));
        Set<String> ids = firingIds(hook);
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> storedIds(db).containsAll(ids)),
            "not every alerted incident is stored: " + ids + " vs " + storedIds(db) + "\n" + PanicProcess.logs(all, 6000));
        assertTrue(Await.holds(Duration.ofSeconds(20), () -> ids.stream().allMatch(apiIncidents(api)::contains)),
            "API does not list every incident.\n" + PanicProcess.logs(all, 6000));
      } finally {
        all.forEach(PanicProcess::close);
      }
    }
  }

  private static String cluster(int port, String members, Path dir) {
    return """
        cluster:
          enabled: true
          bind: 127.0.0.1
          port: %d
          members: %s
          command_key_file: "%s/command.key"
        """.formatted(port, members, dir);
  }

  private static Path write(Path dir, String name, String text) throws java.io.IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static long readyMs(PanicProcess p) {
    Matcher m = Pattern.compile("PanicMode ready in (\\d+) ms").matcher(p.output());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Incident ids of the firing alerts the webhook received. */
  private static Set<String> firingIds(WebhookSink hook) {
    Set<String> ids = new TreeSet<>();
    for (String body : hook.bodies) {
      try {
        JsonObject incident = new JsonObject(body).getJsonObject("incident");
        if (incident != null && "firing".equals(incident.getString("state"))) ids.add(incident.getString("id"));
      } catch (RuntimeException ignored) {
        // not JSON: not ours to judge here
      }
    }
    return ids;
  }

  private static Set<String> storedIds(Path db) {
    Set<String> ids = new TreeSet<>();
    if (!Files.exists(db)) return ids;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
         ResultSet rs = c.createStatement().executeQuery("SELECT incident_id FROM incidents")) {
      while (rs.next()) ids.add(rs.getString(1));
    } catch (Exception e) {
      // busy or not created yet: try again
    }
    return ids;
  }

  private static String apiIncidents(int port) {
    try {
      var r = PanicProcess.get("http://127.0.0.1:" + port + "/api/v1/incidents");
      return r.statusCode() == 200 ? r.body() : "";
    } catch (Exception e) {
      return "";
    }
  }
}
