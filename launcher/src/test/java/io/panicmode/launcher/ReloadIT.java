package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP and POST /api/v1/reload apply a valid config without a restart and reject an invalid one. */
class ReloadIT {
  private static final String CONFIG = """
      node: {id: reload-it}
      monitors:
        - {name: %s, type: load_average, threshold: 500, actions: [alert_info]}
      alerts: {info: [{channel: log}]}
      storage: {incident_db: "./var/incidents.db", snapshot_dir: "./var/snap", log_dir: "./var/log", state_file: "./var/state.json"}
      http_api: {enabled: true, bind: "127.0.0.1:%d", token: reload-token}
      firewall: {backend: dry_run}
      processes: {dry_run: true}
      collector: {auth_source: "off"}
      """;

  @Test
  void reloadAppliesValidConfigAndRejectsInvalid(@TempDir Path dir) throws Exception {
    int port = PanicProcess.freePort();
    Path cfg = dir.resolve("panicmode.yaml");
    Files.writeString(cfg, CONFIG.formatted("first_rule", port));
    try (PanicProcess p = PanicProcess.start("reload", dir, Map.of(), "run", "--config", cfg.toString())) {
      assertTrue(Await.holds(Duration.ofSeconds(30), () -> PanicProcess.healthy(port)), p.output());

      Files.writeString(cfg, CONFIG.formatted("second_rule", port));
      new ProcessBuilder("kill", "-HUP", String.valueOf(p.pid())).start().waitFor();
      assertTrue(Await.holds(Duration.ofSeconds(15), () -> p.output().contains("config reloaded from")), p.output());
      assertTrue(Await.holds(Duration.ofSeconds(15), () -> PanicProcess.healthy(port)), "not healthy after reload\n" + p.output());

      Files.writeString(cfg, CONFIG.formatted("third_rule", port).replace("threshold: 500", "threshold: -1"));
      new ProcessBuilder("kill", "-HUP", String.valueOf(p.pid())).start().waitFor();
      assertTrue(Await.holds(Duration.ofSeconds(15), () -> p.output().contains("config reload rejected")), p.output());
      assertTrue(p.output().contains("monitors[0].threshold: must be >= 0"), p.output());
      assertTrue(PanicProcess.healthy(port) && p.process.isAlive(), "an invalid config must leave the running one in place");

      HttpResponse<String> bad = PanicProcess.post(port, "/api/v1/reload", "reload-token", "");
      assertEquals(400, bad.statusCode(), bad.body());
      assertTrue(bad.body().contains("monitors[0].threshold"), bad.body());
      assertEquals(401, PanicProcess.post(port, "/api/v1/reload", null, "").statusCode(), "reload needs the token");

      Files.writeString(cfg, CONFIG.formatted("fourth_rule", port));
      HttpResponse<String> ok = PanicProcess.post(port, "/api/v1/reload", "reload-token", "");
      assertEquals(200, ok.statusCode(), ok.body());
      assertTrue(Await.holds(Duration.ofSeconds(15), () -> p.output().split("config reloaded from", -1).length >= 3),
          p.output());
      assertTrue(Await.holds(Duration.ofSeconds(15), () -> PanicProcess.healthy(port)), p.output());
    }
  }
}
