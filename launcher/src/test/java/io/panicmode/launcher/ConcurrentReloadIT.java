package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.Await;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three reloads at once that add a whitelist: afterwards no ban inside the whitelisted range reaches
 * the (real, recording) block script. Before reloads were serialized, a duplicate action verticle
 * with the old config took some of the commands and banned whitelisted addresses.
 */
class ConcurrentReloadIT {
  private static final String CONFIG = """
      node: {id: reload-race}
      storage: {incident_db: "./var/incidents.db", snapshot_dir: "./var/snap", log_dir: "./var/log", state_file: "./var/state.json"}
      http_api: {enabled: true, bind: "127.0.0.1:%d", token: race-token}
      firewall: {backend: script, block_script: "%s", unblock_script: "%s", restore_on_startup: false, whitelist: %s}
      processes: {dry_run: true}
      collector: {auth_source: "off"}
      """;

  @Test
  void concurrentReloadsLeaveOnlyTheNewConfigActing(@TempDir Path dir) throws Exception {
    Path calls = dir.resolve("calls.txt");
    Path script = dir.resolve("record.sh");
    Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + calls + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    int port = PanicProcess.freePort();
    Path cfg = dir.resolve("panicmode.yaml");
    Files.writeString(cfg, CONFIG.formatted(port, script, script, "[]"));
    try (PanicProcess p = PanicProcess.start("race", dir, Map.of(), "run", "--config", cfg.toString())) {
      assertTrue(Await.holds(Duration.ofSeconds(60), () -> p.output().contains("PanicMode ready")), p.output());

      Files.writeString(cfg, CONFIG.formatted(port, script, script, "[\"198.51.100.0/24\"]"));
      List<CompletableFuture<HttpResponse<String>>> reloads = new ArrayList<>();
      for (int i = 0; i < 3; i++) reloads.add(send(port, "POST", "/api/v1/reload", null));
      for (var r : reloads) assertEquals(200, r.get().statusCode(), r.get().body());
      assertTrue(Await.holds(Duration.ofSeconds(30), () -> p.output().contains("config reloaded from")
          && apiUp(port)), p.output());
      // Let a coalesced second pass, if any, finish before the bans: every pass begun has ended.
      assertTrue(Await.holds(Duration.ofSeconds(30), () -> count(p, "config reload: applying")
          == count(p, "config reloaded from") && metric(port, "panicmode_config_reloads_total") == reloadPasses(p)
          && apiUp(port)), p.output());
      assertTrue(reloadPasses(p) <= 2, "three reloads at once are coalesced into at most two passes\n" + p.output());
      // /health counts the running deployments of every role: exactly one each after the reloads.
      io.vertx.core.json.JsonObject health = new io.vertx.core.json.JsonObject(
          PanicProcess.get("http://127.0.0.1:" + port + "/health").body());
      io.vertx.core.json.JsonObject deployments = health.getJsonObject("deployments");
      assertEquals(6, deployments.size(), health.encode());
      for (String role : deployments.fieldNames()) assertEquals(1, deployments.getInteger(role), role + ": " + health.encode());
      assertTrue(!health.getJsonObject("reasons").containsKey("deployments"), health.encode());

      int refused = 0;
      for (int i = 1; i <= 12; i++) {
        HttpResponse<String> r = send(port, "POST", "/api/v1/blocks", "{\"ip\":\"198.51.100." + i + "\"}").get();
        if (r.statusCode() == 409) refused++;
      }
      assertEquals(12, refused, p.output());
      assertTrue(!Files.exists(calls) || Files.readString(calls).isEmpty(),
          "a whitelisted ban reached the block script: " + (Files.exists(calls) ? Files.readString(calls) : ""));
      assertEquals(1, p.output().split("role action ready", -1).length - 1 - reloadPasses(p),
          "one action deployment at start\n" + p.output());
    }
  }

  /** Each applied reload pass redeploys the action role once. */
  private static int reloadPasses(PanicProcess p) {
    return count(p, "config reloaded from");
  }

  private static int count(PanicProcess p, String text) {
    return p.output().split(java.util.regex.Pattern.quote(text), -1).length - 1;
  }

  private static boolean apiUp(int port) {
    try {
      return PanicProcess.get("http://127.0.0.1:" + port + "/health").statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static long metric(int port, String name) {
    try {
      for (String line : PanicProcess.get("http://127.0.0.1:" + port + "/metrics").body().split("\n")) {
        if (line.startsWith(name + " ")) return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    } catch (Exception e) {
      return -1;
    }
    return 0;
  }

  private static CompletableFuture<HttpResponse<String>> send(int port, String method, String path, String body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer race-token")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HttpClient.newHttpClient().sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }
}
