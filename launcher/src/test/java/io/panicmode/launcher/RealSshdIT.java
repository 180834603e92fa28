package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.panicmode.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSH's sshd with PAM in one network namespace, attackers in another, PanicMode following the
 * syslog file that sshd and pam_unix write through the test's own syslog daemon, and banning with
 * nftables in sshd's namespace. Counts one wrong password as one attempt: with {@code threshold: 2}
 * the ban comes right after the 3rd wrong password, never before.
 */
class RealSshdIT {
  private static final String SSHD_IP = "10.77.0.1";
  private static final String ATTACKER_IP = "10.77.0.2";
  private static final String USER_IP = "10.77.0.3";

  @Test
  void bansAfterTheThirdWrongPasswordOnly(@TempDir Path dir) throws Exception {
    assumeTrue(Netns.available(), "needs root and iproute2: the test builds network namespaces");
    assumeTrue(Netns.nftAvailable(), "needs nftables (Debian package nftables)");
    for (String tool : List.of("/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/sshpass", "/usr/bin/ssh-keygen",
        "/usr/sbin/useradd")) {
      assumeTrue(Files.isExecutable(Path.of(tool)),
          "needs " + tool + " (Debian packages openssh-server, openssh-client, sshpass, passwd)");
    }
    assumeTrue(runs("python3", "-c", "import socket; socket.AF_UNIX"),
        "needs python3 for the test's syslog daemon (Debian package python3)");
    String user = "pmit" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    String password = "right-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    List<Process> helpers = new ArrayList<>();
    PanicProcess panic = null;
    boolean userCreated = false;
    try (Netns net = new Netns()) {
      String server = net.host("sshd", 1);
      String attackers = net.host("atk", 2);
      Netns.exec("ip", "netns", "exec", attackers, "ip", "addr", "add", USER_IP + "/24", "dev", "eth0");
      for (int i = 0; i < 10; i++) {
        Netns.exec("ip", "netns", "exec", attackers, "ip", "addr", "add", burstIp(i) + "/24", "dev", "eth0");
      }
      Netns.exec("useradd", "-M", "-d", "/nonexistent", "-s", "/bin/sh", user);
      userCreated = true;
      Process chpasswd = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
      chpasswd.getOutputStream().write((user + ":" + password + "\n").getBytes(StandardCharsets.UTF_8));
      chpasswd.getOutputStream().close();
      assertEquals(0, chpasswd.waitFor(), "chpasswd failed");

      Path authLog = dir.resolve("auth.log");
      Files.writeString(authLog, "");
      copyResource("syslog.py", dir);
      copyResource("run-sshd.sh", dir).toFile().setExecutable(true);
      Netns.exec("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("hostkey").toString());
      Files.writeString(dir.resolve("sshd_config"), """
          ListenAddress %s
          Port 22
          HostKey %s
          PidFile %s
          UsePAM yes
          PasswordAuthentication yes
          KbdInteractiveAuthentication no
          PubkeyAuthentication no
          PermitRootLogin no
          SyslogFacility AUTH
          LogLevel INFO
          MaxStartups 100
          """.formatted(SSHD_IP, dir.resolve("hostkey"), dir.resolve("sshd.pid")));
      helpers.add(new ProcessBuilder("ip", "netns", "exec", server, "python3",
              dir.resolve("syslog.py").toString(), dir.resolve("log.sock").toString(), authLog.toString(), "sshhost")
          .redirectErrorStream(true).redirectOutput(dir.resolve("syslog.out").toFile()).start());
      assertTrue(Await.holds(Duration.ofSeconds(10), () -> Files.exists(dir.resolve("log.sock"))),
          "the test's syslog daemon did not start: " + read(dir.resolve("syslog.out")));
      helpers.add(new ProcessBuilder("ip", "netns", "exec", server, "unshare", "-m", "--propagation", "private",
              dir.resolve("run-sshd.sh").toString(), dir.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.out").toFile()).start());
      assertTrue(Await.holds(Duration.ofSeconds(10), () -> Files.exists(dir.resolve("sshd.pid"))),
          "sshd did not start: " + read(dir.resolve("sshd.out")));

      Files.writeString(dir.resolve("panicmode.yaml"), """
          node: {id: sshhost}
          performance: {check_interval: 1s, memory_limit_mb: 1024, cpu_limit: 100}
          monitors:
            - {name: ssh_brute_force, type: auth_failures, threshold: 2, window: 10m, actions: [block_ip]}
          anomaly: {enabled: false}
          storage: {incident_db: "%1$s/data/incidents.db", snapshot_dir: "%1$s/data/snap", log_dir: "%1$s/data/log", state_file: "%1$s/data/state.json"}
          http_api: {enabled: false}
          collector: {auth_source: file, auth_logs: ["%2$s"]}
          firewall: {backend: nft, ban_private_networks: true}
          processes: {dry_run: true}
          detector: {dedup_window: 1s, rate_limits: {critical: 0s}}
          """.formatted(dir, authLog));
      panic = PanicProcess.startWrapped(Netns.in(server), "panicmode", dir, Map.of(), "run", "--config",
          dir.resolve("panicmode.yaml").toString());
      PanicProcess p = panic;
      assertTrue(Await.holds(Duration.ofSeconds(90), () -> p.output().contains("PanicMode ready")),
          "PanicMode did not start:\n" + p.output());

      // 1. One attacker: not banned after two wrong passwords, banned right after the third.
      attackUntilBanned(server, attackers, authLog, ATTACKER_IP, "admin", p);
      // Once banned, its next TCP connection to port 22 is dropped (a timeout, not a refusal).
      String again = ssh(attackers, ATTACKER_IP, "admin", "wrong", "true");
      assertTrue(again.contains("timed out"), "a banned attacker still reached sshd:\n" + again);

      // 2. A user who mistypes twice and then logs in is not banned.
      for (int i = 0; i < 2; i++) ssh(attackers, USER_IP, user, "typo" + i, "true");
      String ok = ssh(attackers, USER_IP, user, password, "echo logged-in");
      assertTrue(ok.contains("logged-in"), "the legitimate login failed:\n" + ok + "\n" + read(authLog));
      awaitLogLine(authLog, Pattern.compile("Accepted password for " + user + " from " + Pattern.quote(USER_IP)));
      Thread.sleep(1000); // the settle time PanicMode gets after the lines are written
      assertFalse(banned(server, USER_IP), "a user who mistyped twice was banned:\n" + read(authLog));

      // 3. Ten attacker addresses at once: each banned right after its own third attempt.
      ExecutorService pool = Executors.newFixedThreadPool(10);
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String ip = burstIp(i);
        runs.add(pool.submit(() -> {
          try {
            attackUntilBanned(server, attackers, authLog, ip, "oracle", p);
          } catch (Throwable t) {
            failures.add(ip + ": " + t.getMessage());
          }
        }));
      }
      for (Future<?> f : runs) f.get();
      pool.shutdown();
      assertTrue(failures.isEmpty(), String.join("\n", failures) + "\n" + read(authLog) + "\n" + p.output());
    } finally {
      if (panic != null) panic.close();
      for (Process h : helpers) {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
      }
      if (userCreated) Netns.exec("userdel", user);
    }
  }

  /**
   * Three wrong passwords from {@code ip}, one connection each. Before the third the address must
   * not be banned (after the second attempt's closing line was written and PanicMode had a second
   * to act on it); after the third it must be banned within 5 s.
   */
  private static void attackUntilBanned(String server, String attackers, Path authLog, String ip, String login,
                                        PanicProcess p) throws Exception {
    Pattern closed = Pattern.compile("(Connection closed|Disconnected from) (by )?invalid user " + login + " "
        + Pattern.quote(ip) + " port \\d+ \\[preauth\\]");
    for (int attempt = 1; attempt <= 3; attempt++) {
      if (attempt == 3) {
        awaitLines(authLog, closed, 2);
        Thread.sleep(1000);
        assertFalse(banned(server, ip), ip + " banned after only two wrong passwords:\n" + read(authLog));
      }
      String out = ssh(attackers, ip, login, "wrong" + attempt, "true");
      assertFalse(out.contains("logged-in"), "a wrong password was accepted: " + out);
    }
    assertTrue(Await.holds(Duration.ofSeconds(5), () -> banned(server, ip)),
        ip + " not banned after its third wrong password:\n" + read(authLog) + "\n" + p.output());
  }

  private static String ssh(String ns, String from, String login, String password, String command)
      throws IOException, InterruptedException {
    // The ban lands while the 3rd attempt's connection is still open (PAM's line comes ~2 s before
    // sshd's verdict), so the server falls silent: keep-alives end the client instead of TCP's
    // retransmission timeout of ~15 minutes.
    Process ssh = new ProcessBuilder("ip", "netns", "exec", ns, "timeout", "15", "sshpass", "-p", password, "ssh",
        "-b", from, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=3",
        "-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=2",
        "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no",
        "-o", "NumberOfPasswordPrompts=1", "-o", "LogLevel=ERROR", "-F", "/dev/null",
        login + "@" + SSHD_IP, command).redirectErrorStream(true).start();
    String out = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ssh.waitFor();
    return out;
  }

  private static boolean banned(String ns, String ip) {
    try {
      return Pattern.compile("(?<![\\d.])" + Pattern.quote(ip) + "(?![\\d])")
          .matcher(Netns.exec("ip", "netns", "exec", ns, "nft", "list", "ruleset")).find();
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitLogLine(Path log, Pattern line) throws Exception {
    awaitLines(log, line, 1);
  }

  private static void awaitLines(Path log, Pattern line, int count) throws Exception {
    assertTrue(Await.holds(Duration.ofSeconds(10), () -> line.matcher(read(log)).results().count() >= count),
        "expected " + count + " lines matching " + line + " in:\n" + read(log));
  }

  private static String burstIp(int i) {
    return "10.77.0." + (10 + i);
  }

  private static Path copyResource(String name, Path dir) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = RealSshdIT.class.getResourceAsStream("/sshd/" + name)) {
      Files.copy(in, target);
    }
    return target;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean runs(String... cmd) {
    try {
      return new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
