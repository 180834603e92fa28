package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.testing.Await;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults an operator's bad day brings, injected into the real daemon (the shaded jar) with real
 * files, a real webhook receiver on 127.0.0.1 and a real block script: a data dir on a full tmpfs
 * and on a read-only one (each in a private mount namespace that dies with the daemon, so nothing
 * is left mounted; root only), a corrupt incidents.db, and kill -9 while an incident fires. Each
 * asserts that protection and alerting went on and that every alert arrived exactly once.
 * Timings are printed as FIGURE lines for docs/operations.md, never asserted tightly.
 */
class FaultInjectionIT {
  private static final String ATTACKER = "203.0.113.77";

  @TempDir Path dir;

  /** The daemon's config: SSH rule on a followed log, a custom metric read from a file, webhook alerts, script bans. */
  private Path config(Path dataDir, int apiPort, WebhookSink sink, boolean customRule) throws IOException {
    Path block = script("block.sh", "echo \"$1\" >> " + dir.resolve("banned.txt"));
    Path unblock = script("unblock.sh", "true");
    Files.writeString(dir.resolve("value"), "1\n");
    Files.writeString(dir.resolve("auth.log"), "");
    String custom = customRule ? """
        custom_metrics:
          always_on: {command: "cat %s", timeout: 5s}
        """.formatted(dir.resolve("value")) : "";
    String customMonitor = customRule ? "  - {name: always_on, type: custom, threshold: 0, actions: [alert_critical]}\n" : "";
    String yaml = """
        node: {id: fault-it}
        %smonitors:
          - {name: ssh_brute, type: auth_failures, threshold: 3, actions: [block_ip, alert_critical]}
        %salerts:
          critical: [{channel: webhook, webhook_url: "%s", retries: 1, timeout: 2s}]
        storage: {incident_db: "%s/incidents.db", snapshot_dir: "%s/snap", log_dir: "%s/log", state_file: "%s/state.json"}
        http_api: {enabled: true, bind: "127.0.0.1:%d", token: fault-token}
        firewall: {backend: script, block_script: "%s", unblock_script: "%s"}
        processes: {dry_run: true}
        collector: {auth_source: file, auth_logs: ["%s"]}
        performance: {check_interval: 1s}
        anomaly: {enabled: false}
        """.formatted(custom, customMonitor, sink.url(), dataDir, dataDir, dataDir, dataDir, apiPort, block, unblock,
        dir.resolve("auth.log"));
    Path cfg = dir.resolve("panicmode.yaml");
    Files.writeString(cfg, yaml);
    return cfg;
  }

  private Path script(String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  private void attack() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      sb.append("Dec  2 10:00:0").append(i).append(" host sshd[40").append(i).append("]: Failed password for root from ")
          .append(ATTACKER).append(" port 5").append(i).append("022 ssh2\n");
    }
    Files.writeString(dir.resolve("auth.log"), sb.toString(), java.nio.file.StandardOpenOption.APPEND);
  }

  private boolean banned() {
    try {
      return Files.readString(dir.resolve("banned.txt")).contains(ATTACKER);
    } catch (IOException e) {
      return false;
    }
  }

  private static JsonObject health(int port) {
    try {
      var r = PanicProcess.get("http://127.0.0.1:" + port + "/health");
      return r.statusCode() == 200 ? new JsonObject(r.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String role(int port, String role) {
    JsonObject h = health(port);
    return h == null ? "" : h.getJsonObject("roles").getString(role, "");
  }

  /** Alerts the webhook received per alert id (the body's id, also sent as the Idempotency-Key header). */
  private static Map<String, Integer> perId(WebhookSink sink) {
    Map<String, Integer> out = new HashMap<>();
    for (String b : sink.bodies) out.merge(new JsonObject(b).getString("id"), 1, Integer::sum);
    return out;
  }

  /**
   * Each alert reaches the receiver once, except that an attempt whose answer did not come back in
   * time is sent again under the same id and Idempotency-Key (delivery is at least once; receivers
   * drop the repeat by that key). So every extra copy must match a timed-out attempt in the log: a
   * copy from anywhere else (an outbox replaying what it had delivered, a second incident) fails.
   */
  private static void assertEachOnce(WebhookSink sink, PanicProcess p) {
    String log = p.output();
    Map<String, Integer> ids = perId(sink);
    ids.forEach((id, n) -> {
      int timedOut = log.split(java.util.regex.Pattern.quote("alert " + id + " on webhook: attempt ") + "\\d+/\\d+ failed \\(timeout\\)", -1).length - 1;
      assertTrue(n == 1 || n - 1 <= timedOut, "alert " + id + " received " + n + " times with " + timedOut
          + " timed-out attempts: " + ids + "\n" + log);
    });
  }

  private static boolean canMount() {
    return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"))
        && Files.isExecutable(Path.of("/usr/bin/nsenter"));
  }

  /** The daemon in a private mount namespace where {@code data} is a small tmpfs prepared by {@code prepare}. */
  private PanicProcess startInMountNamespace(String name, Path data, String prepare, Path cfg) throws IOException {
    Files.createDirectories(data);
    String setup = "mount -t tmpfs -o size=1m panicmode-fault " + data + " && " + prepare + " && exec \"$@\"";
    return PanicProcess.startWrapped(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", setup, "sh"),
        name, dir, Map.of(), "run", "--config", cfg.toString());
  }

  private static void inNamespace(PanicProcess p, String command) throws IOException, InterruptedException {
    Process sh = new ProcessBuilder("nsenter", "-t", String.valueOf(p.pid()), "-m", "sh", "-c", command)
        .redirectErrorStream(true).start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(sh.waitFor(10, TimeUnit.SECONDS) && sh.exitValue() == 0, command + ": " + out);
  }

  @Test
  void fullDiskAtStartStillProtectsAlertsAndRecoversWhenSpaceReturns() throws Exception {
    assumeTrue(canMount(), "needs root with unshare and nsenter to mount a full tmpfs in a private mount namespace");
    int port = PanicProcess.freePort();
    Path data = dir.resolve("data");
    try (WebhookSink sink = new WebhookSink()) {
      Path cfg = config(data, port, sink, false);
      try (PanicProcess p = startInMountNamespace("full-disk", data, "(dd if=/dev/zero of=" + data
          + "/fill bs=4k 2>/dev/null; true)", cfg)) {
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> health(port) != null), "no /health\n" + p.output());
        JsonObject h = health(port);
        assertEquals("degraded", h.getString("status"), h.encode());
        assertTrue(h.getJsonObject("reasons").getString("storage", "").contains("SQLITE_FULL"), h.encode());
        // Each persistent queue running from memory is named with what it holds there.
        assertTrue(h.getJsonObject("reasons").getString("central_outbox", "").contains("held in memory"), h.encode());
        assertTrue(h.getJsonObject("reasons").getString("alert", "").contains("alert outbox in memory"), h.encode());
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> health(port).getJsonObject("reasons")
            .getString("action", "").contains("held in memory")), "block ledger in memory\n" + health(port));
        // Every SQLite store names itself on /health while it runs from memory.
        assertTrue(health(port).getJsonObject("reasons").getString("alert_outbox", "").contains("held in memory"),
            health(port).encode());
        assertTrue(health(port).getJsonObject("reasons").getString("block_ledger", "").contains("held in memory"),
            health(port).encode());
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> sink.count("storage_degraded") >= 1),
            "critical storage_degraded alert\n" + p.output());

        long t0 = System.nanoTime();
        attack();
        assertTrue(Await.holds(Duration.ofSeconds(15), this::banned), "the attacker is banned\n" + p.output());
        long banMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> sink.count("ssh_brute") >= 1),
            "the ssh_brute alert\n" + p.output());
        long alertMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(p.process.isAlive(), p.output());
        System.out.printf("FIGURE full disk at start: up and degraded; ban %d ms and its alert %d ms after the log lines%n",
            banMs, alertMs);

        long freed = System.nanoTime();
        inNamespace(p, "rm " + data + "/fill");
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> "ok".equals(role(port, "storage"))
            && "ok".equals(role(port, "alert"))), "storage and alert back to ok\n" + health(port) + "\n" + p.output());
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> sink.count("[RECOVERED] storage_degraded") == 1),
            "the resolved storage alert\n" + p.output());
        System.out.printf("FIGURE full disk freed: storage and alert outbox back on disk after %d ms%n",
            (System.nanoTime() - freed) / 1_000_000);
        // The block ledger and the central outbox return too: nothing is left degraded.
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> "ok".equals(health(port).getString("status"))),
            "every queue back on disk\n" + health(port) + "\n" + p.output());
        System.out.printf("FIGURE full disk freed: block ledger, central outbox and alert outbox all on disk, /health ok"
            + " after %d ms%n", (System.nanoTime() - freed) / 1_000_000);
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> storedIncidents(port).contains("ssh_brute")),
            "the incident kept in memory is stored once the disk is back\n" + p.output());
        assertEachOnce(sink, p);
        // A nearly full disk flaps (a small commit fits, the next batch does not): still one incident.
        assertEquals(1, sink.count("[CRITICAL] storage_degraded"), "one storage_degraded spell\n" + p.output());
      }
    }
  }

  @Test
  void diskFillingWhileRunningHoldsNeitherBansNorAlerts() throws Exception {
    assumeTrue(canMount(), "needs root with unshare and nsenter to mount a tmpfs in a private mount namespace");
    int port = PanicProcess.freePort();
    Path data = dir.resolve("data");
    try (WebhookSink sink = new WebhookSink()) {
      Path cfg = config(data, port, sink, false);
      try (PanicProcess p = startInMountNamespace("fills-while-running", data, "true", cfg)) {
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> "ok".equals(role(port, "storage"))),
            "healthy first\n" + p.output());
        inNamespace(p, "dd if=/dev/zero of=" + data + "/fill bs=4k 2>/dev/null; true");
        long t0 = System.nanoTime();
        attack();
        assertTrue(Await.holds(Duration.ofSeconds(15), this::banned), "the attacker is banned\n" + p.output());
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> sink.count("[CRITICAL] ssh_brute") == 1),
            "the ssh_brute alert\n" + p.output());
        System.out.printf("FIGURE disk full while running: ban and alert %d ms after the log lines (%s)%n",
            (System.nanoTime() - t0) / 1_000_000, health(port).getJsonObject("reasons").fieldNames());
        inNamespace(p, "rm " + data + "/fill");
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> storedIncidents(port).contains("ssh_brute")
            && "ok".equals(role(port, "storage")) && "ok".equals(role(port, "alert"))),
            "stored and healthy once space returns\n" + health(port) + "\n" + p.output());
        assertTrue(p.process.isAlive(), p.output());
        assertEachOnce(sink, p);
      }
    }
  }

  @Test
  void readOnlyDataDirStillProtectsAndAlerts() throws Exception {
    assumeTrue(canMount(), "needs root with unshare and nsenter to mount a read-only tmpfs in a private mount namespace");
    int port = PanicProcess.freePort();
    Path data = dir.resolve("data");
    try (WebhookSink sink = new WebhookSink()) {
      Path cfg = config(data, port, sink, false);
      try (PanicProcess p = startInMountNamespace("read-only", data, "mount -o remount,ro " + data, cfg)) {
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> health(port) != null), "no /health\n" + p.output());
        JsonObject h = health(port);
        assertEquals("degraded", h.getString("status"), h.encode());
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> sink.count("storage_degraded") >= 1),
            "critical storage_degraded alert\n" + p.output());
        attack();
        assertTrue(Await.holds(Duration.ofSeconds(15), this::banned), "the attacker is banned\n" + p.output());
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> sink.count("ssh_brute") >= 1),
            "the ssh_brute alert\n" + p.output());

        long writable = System.nanoTime();
        inNamespace(p, "mount -o remount,rw " + data);
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> "ok".equals(role(port, "storage"))
            && "ok".equals(role(port, "alert"))), "storage and alert back to ok\n" + health(port) + "\n" + p.output());
        System.out.printf("FIGURE read-only data dir made writable: back on disk after %d ms%n",
            (System.nanoTime() - writable) / 1_000_000);
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> storedIncidents(port).contains("ssh_brute")),
            "the incident kept in memory is stored once the disk is back\n" + p.output());
        assertEachOnce(sink, p);
      }
    }
  }

  @Test
  void corruptIncidentsDbDoesNotHoldUpAlerts() throws Exception {
    int port = PanicProcess.freePort();
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    byte[] junk = new byte[64 * 1024];
    new Random(13).nextBytes(junk);
    Files.write(data.resolve("incidents.db"), junk);
    try (WebhookSink sink = new WebhookSink()) {
      Path cfg = config(data, port, sink, true);
      try (PanicProcess p = PanicProcess.start("corrupt-db", dir, Map.of(), "run", "--config", cfg.toString())) {
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> p.output().contains("PanicMode ready")),
            "not ready\n" + p.output());
        long ready = System.nanoTime();
        assertTrue(Await.holds(Duration.ofSeconds(20), () -> sink.count("[CRITICAL] always_on") >= 1),
            "the always-firing rule's alert reaches the webhook\n" + p.output());
        long alertMs = (System.nanoTime() - ready) / 1_000_000;
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> sink.count("storage_degraded") >= 1),
            "critical storage_degraded alert\n" + p.output());
        JsonObject h = health(port);
        assertTrue(h != null && h.getJsonObject("reasons").containsKey("storage"), String.valueOf(h));
        System.out.printf("FIGURE corrupt incidents.db: always-firing alert at the webhook %d ms after ready "
            + "(%d ms after the JVM started)%n", alertMs, (System.nanoTime() - p.startedNanos) / 1_000_000);
        assertEachOnce(sink, p);
      }
    }
  }

  @Test
  void killDashNineWhileFiringThenRecoveredAfterRestart() throws Exception {
    int port = PanicProcess.freePort();
    Path data = dir.resolve("data");
    try (WebhookSink sink = new WebhookSink()) {
      Path cfg = config(data, port, sink, true);
      List<PanicProcess> runs = new ArrayList<>();
      try {
        PanicProcess first = PanicProcess.start("before-kill", dir, Map.of(), "run", "--config", cfg.toString());
        runs.add(first);
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> sink.count("[CRITICAL] always_on") == 1),
            "firing alert\n" + first.output());
        // The detector writes its state within 200 ms of a change; let that write land before the kill.
        Thread.sleep(1500);
        first.sigkill();
        Files.writeString(dir.resolve("value"), "0\n");

        PanicProcess second = PanicProcess.start("after-kill", dir, Map.of(), "run", "--config", cfg.toString());
        runs.add(second);
        long started = System.nanoTime();
        assertTrue(Await.holds(Duration.ofSeconds(30), () -> sink.count("[RECOVERED] always_on") == 1),
            "the RECOVERED alert for the incident firing at the kill\n" + PanicProcess.logs(runs, 6000));
        System.out.printf("FIGURE kill -9 while firing: RECOVERED alert %d ms after the restart%n",
            (System.nanoTime() - started) / 1_000_000);
        assertEquals(1, sink.count("[CRITICAL] always_on"), "the firing alert is not sent again after the restart");
        assertEachOnce(sink, second);
        assertTrue(Await.holds(Duration.ofSeconds(15), () -> storedIncidents(port).contains("\"resolved\"")),
            "the stored incident is resolved\n" + second.output());
      } finally {
        runs.forEach(PanicProcess::close);
      }
    }
  }

  private static String storedIncidents(int port) {
    try {
      return PanicProcess.get("http://127.0.0.1:" + port + "/api/v1/incidents").body();
    } catch (Exception e) {
      return "";
    }
  }
}
