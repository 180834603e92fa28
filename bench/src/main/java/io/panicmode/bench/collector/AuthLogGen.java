package io.panicmode.bench.collector;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a mixed auth log of N lines (seeded, so every run benchmarks the same file): about half
 * sshd failures of every form, IPv4 and IPv6, the rest normal sshd and other programs' lines.
 * Usage: AuthLogGen FILE LINES
 */
public final class AuthLogGen {
  private AuthLogGen() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    SplittableRandom r = new SplittableRandom(20261127);
    String[] users = {"root", "admin", "oracle", "test", "ubuntu", "git", "postgres", "pi", "user", "deploy"};
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        int sec = i / 200;
        String ts = String.format("Nov 27 %02d:%02d:%02d", (sec / 3600) % 24, (sec / 60) % 60, sec % 60);
        String ip = r.nextInt(10) == 0
            ? "2001:db8:" + Integer.toHexString(r.nextInt(65536)) + "::" + Integer.toHexString(1 + r.nextInt(65535))
            : (1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        String u = users[r.nextInt(users.length)];
        int port = 1024 + r.nextInt(64000);
        int pid = 1000 + r.nextInt(60000);
        String msg = switch (r.nextInt(20)) {
          case 0, 1, 2, 3, 4 -> "sshd[" + pid + "]: Failed password for " + u + " from " + ip + " port " + port + " ssh2";
          case 5, 6 -> "sshd[" + pid + "]: Failed password for invalid user " + u + " from " + ip + " port " + port + " ssh2";
          case 7 -> "sshd[" + pid + "]: Invalid user " + u + " from " + ip + " port " + port;
          case 8 -> "sshd[" + pid + "]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost="
              + ip + "  user=" + u;
          case 9 -> "sshd[" + pid + "]: Connection closed by authenticating user " + u + " " + ip + " port " + port + " [preauth]";
          case 10 -> "sshd[" + pid + "]: Disconnected from invalid user " + u + " " + ip + " port " + port + " [preauth]";
          case 11 -> "sshd[" + pid + "]: Received disconnect from " + ip + " port " + port + ":11: Bye Bye [preauth]";
          case 12 -> "sshd[" + pid + "]: Accepted publickey for " + u + " from " + ip + " port " + port
              + " ssh2: ED25519 SHA256:uZ8dM0d3x1Zr2c1nLq0m6V1n5H9oT3n0bG3pQyJ7kWc";
          case 13 -> "sshd[" + pid + "]: pam_unix(sshd:session): session opened for user " + u + "(uid=1000) by (uid=0)";
          case 14 -> "CRON[" + pid + "]: pam_unix(cron:session): session closed for user root";
          case 15 -> "systemd[1]: Started session-" + pid + ".scope - Session " + pid + " of User " + u + ".";
          case 16 -> "sshd[" + pid + "]: Unable to negotiate with " + ip + " port " + port
              + ": no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]";
          case 17 -> "sshd[" + pid + "]: error: maximum authentication attempts exceeded for " + u + " from " + ip + " port " + port
              + " ssh2 [preauth]";
          case 18 -> "sudo[" + pid + "]:     " + u + " : TTY=pts/0 ; PWD=/home/" + u + " ; USER=root ; COMMAND=/usr/bin/apt update";
          default -> "sshd[" + pid + "]: Connection closed by " + ip + " port " + port + " [preauth]";
        };
        w.write(ts);
        w.write(" web1 ");
        w.write(msg);
        w.write('\n');
      }
    }
  }
}
