package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployment 2 on one host: the action role as root, collector+detector and alert+storage+api as an
 * unprivileged user created for the test, clustered on 127.0.0.1. SSH failures written to the auth
 * log get the attacker blocked by the root process and the incident stored, alerted and listed;
 * the unprivileged user can neither touch the firewall nor signal the root process.
 */
class PrivilegeSeparationIT {
  private static final String USER = "panicmode-it";

  @Test
  void onlyTheActionRoleRunsAsRoot(@TempDir Path tmp) throws Exception {
    assumeTrue(isRoot(), "needs root: starts the action role as root and the others as a user it creates");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/useradd")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "needs useradd and setpriv (Debian packages passwd, util-linux)");
    boolean created = run("id", "-u", USER) != 0 && run("useradd", "--system", "--no-create-home", "--shell",
        "/usr/sbin/nologin", USER) == 0;
    List<PanicProcess> all = new ArrayList<>();
    Path dir = tmp.resolve("world");
    try (WebhookSink hook = new WebhookSink()) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      // The shared data directory exists before any process starts, so root cannot create it 0755
      // under the unprivileged processes (on a real host each unit has a state directory of its own).
      Path data = Files.createDirectories(dir.resolve("data"));
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
      assumeTrue(run("setpriv", "--reuid=" + USER, "--regid=" + USER, "--clear-groups", "test", "-r",
          PanicProcess.jar().toString()) == 0, "the jar is not readable by an unprivileged user at " + PanicProcess.jar());
      Path record = dir.resolve("blocked.txt");
      Path script = dir.resolve("block.sh");
      Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + record + "'\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
      Path key = dir.resolve("command.key");
      Files.writeString(key, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
      Path authLog = dir.resolve("auth.log");
      Files.writeString(authLog, "");
      Files.setPosixFilePermissions(authLog, PosixFilePermissions.fromString("rw-r--r--"));
      int hz1 = PanicProcess.freePort();
      int hz2 = PanicProcess.freePort();
      int hz3 = PanicProcess.freePort();
      int api = PanicProcess.freePort();
      String config = """
          node: {id: privsep-host}
          performance: {check_interval: 1s, memory_limit_mb: 1024, cpu_limit: 100}
          monitors:
            - {name: ssh_brute_force, type: auth_failures, threshold: 3, window: 10m, actions: [block_ip, alert_critical]}
          anomaly: {enabled: false}
          alerts: {critical: [{channel: webhook, webhook_url: "%s"}]}
          storage: {incident_db: "%s/data/incidents.db", snapshot_dir: "%s/snap", log_dir: "%s/log", state_file: "%s/data/state.json"}
          http_api: {enabled: true, bind: "127.0.0.1:%d", token: t}
          collector: {auth_source: file, auth_logs: ["%s"]}
          firewall: {backend: script, block_script: "%s", unblock_script: "%s", restore_on_startup: false}
          processes: {dry_run: true}
          cluster:
            enabled: true
            port: PORT
            members: ["127.0.0.1:%d", "127.0.0.1:%d", "127.0.0.1:%d"]
            command_key_file: "%s"
          """.formatted(hook.url(), dir, dir, dir, dir, api, authLog, script, script, hz1, hz2, hz3, key);
      Path actionCfg = Files.writeString(tmp.resolve("action.yaml"), config.replace("PORT", String.valueOf(hz1)));
      Path agentCfg = Files.writeString(dir.resolve("agent.yaml"), config.replace("PORT", String.valueOf(hz2)));
      Path centralCfg = Files.writeString(dir.resolve("central.yaml"), config.replace("PORT", String.valueOf(hz3)));
      List<String> unprivileged = List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--clear-groups",
          "--inh-caps=-all", "--bounding-set=-all");
      PanicProcess action = PanicProcess.start("action-as-root", tmp, Map.of(), "run", "--config", actionCfg.toString(),
          "--roles", "action");
      all.add(action);
      PanicProcess agent = PanicProcess.startWrapped(unprivileged, "collector-detector-as-user", dir, Map.of(), "run",
          "--config", agentCfg.toString(), "--roles", "collector,detector");
      all.add(agent);
      PanicProcess central = PanicProcess.startWrapped(unprivileged, "alert-storage-api-as-user", dir, Map.of(), "run",
          "--config", centralCfg.toString(), "--roles", "alert,storage,api");
      all.add(central);
      for (PanicProcess p : all) {
        assertTrue(Await.holds(Duration.ofSeconds(90), () -> p.output().contains("PanicMode ready")),
            p.name + " did not start:\n" + p.output());
      }
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH));
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        lines.append(stamp).append(" privsep-host sshd[4242]: Failed password for root from 203.0.113.50 port ")
            .append(40000 + i).append(" ssh2\n");
      }
      Files.writeString(authLog, lines.toString(), java.nio.file.StandardOpenOption.APPEND);

      assertTrue(Await.holds(Duration.ofSeconds(30), () -> read(record).contains("203.0.113.50")),
          "the root action role did not block the attacker.\n" + PanicProcess.logs(all, 5000));
      assertTrue(Await.holds(Duration.ofSeconds(30), () -> hook.count("ssh_brute_force") > 0),
          "no alert.\n" + PanicProcess.logs(all, 5000));
      assertTrue(Await.holds(Duration.ofSeconds(30), () -> {
        try {
          return PanicProcess.get("http://127.0.0.1:" + api + "/api/v1/incidents").body().contains("ssh_brute_force");
        } catch (Exception e) {
          return false;
        }
      }), "incident not listed.\n" + PanicProcess.logs(all, 5000));

      List<String> asUser = new ArrayList<>(unprivileged);
      asUser.addAll(List.of("nft", "add", "table", "inet", "panicmode_it_probe"));
      assertNotEquals(0, run(asUser.toArray(String[]::new)), "an unprivileged process changed the firewall");
      List<String> signal = new ArrayList<>(unprivileged);
      signal.addAll(List.of("kill", "-STOP", String.valueOf(action.pid())));
      assertNotEquals(0, run(signal.toArray(String[]::new)), "an unprivileged process signalled the root process");
      assertTrue(action.process.isAlive());
    } finally {
      all.forEach(PanicProcess::close);
      run("nft", "delete", "table", "inet", "panicmode_it_probe");
      if (created) run("userdel", USER);
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }
}
