package io.panicmode.action;

import io.panicmode.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Two network namespaces joined by a veth pair: a "victim" (198.51.100.1, 2001:db8:51::1) where
 * PanicMode's nft table lives and a TCP listener runs, and an "attacker" (198.51.100.2,
 * 2001:db8:51::2) that connects to it. Documentation ranges, so they are blockable. Created and
 * deleted by the test; needs root, ip, nft and /usr/bin/python3.
 */
final class NetnsFixture implements AutoCloseable {
  static final String VICTIM_V4 = "198.51.100.1";
  static final String ATTACKER_V4 = "198.51.100.2";
  static final String VICTIM_V6 = "2001:db8:51::1";
  static final String ATTACKER_V6 = "2001:db8:51::2";
  static final String IP = "/usr/sbin/ip";
  static final String NFT = "/usr/sbin/nft";
  static final String PY = "/usr/bin/python3";

  final String victim;
  final String attacker;
  private Process listener;

  static void assumeAvailable() {
    Assumptions.assumeTrue(TestSupport.isRoot(), "skipped: network namespaces and nftables need root");
    Assumptions.assumeTrue(Files.isExecutable(Path.of(IP)), "skipped: " + IP + " (iproute2) not installed");
    Assumptions.assumeTrue(Files.isExecutable(Path.of(NFT)), "skipped: " + NFT + " not installed (apt-get install -y nftables)");
    Assumptions.assumeTrue(Files.isExecutable(Path.of(PY)), "skipped: " + PY + " needed for the TCP listener and client");
  }

  NetnsFixture() throws Exception {
    String r = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));
    victim = "pmv" + r;
    attacker = "pma" + r;
    sh(IP, "netns", "add", victim);
    sh(IP, "netns", "add", attacker);
    sh(IP, "link", "add", "pv" + r, "type", "veth", "peer", "name", "pa" + r);
    sh(IP, "link", "set", "pv" + r, "netns", victim);
    sh(IP, "link", "set", "pa" + r, "netns", attacker);
    sh(IP, "-n", victim, "addr", "add", VICTIM_V4 + "/24", "dev", "pv" + r);
    sh(IP, "-n", attacker, "addr", "add", ATTACKER_V4 + "/24", "dev", "pa" + r);
    sh(IP, "-n", victim, "addr", "add", VICTIM_V6 + "/64", "dev", "pv" + r, "nodad");
    sh(IP, "-n", attacker, "addr", "add", ATTACKER_V6 + "/64", "dev", "pa" + r, "nodad");
    for (String ns : List.of(victim, attacker)) sh(IP, "-n", ns, "link", "set", "lo", "up");
    sh(IP, "-n", victim, "link", "set", "pv" + r, "up");
    sh(IP, "-n", attacker, "link", "set", "pa" + r, "up");
    String server = "import socket\n"
        + "s=socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)\n"
        + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('::', 8080)); s.listen(128)\n"
        + "while True:\n  c,_=s.accept(); c.close()\n";
    listener = new ProcessBuilder(IP, "netns", "exec", victim, PY, "-c", server).redirectErrorStream(true).start();
    Await.until("the victim's listener answering the attacker", () -> connects(attacker, VICTIM_V4, 1, 500) == 1);
  }

  /** nft run inside the victim namespace, as the verticle's nft command. */
  List<String> nftCommand() { return List.of(IP, "netns", "exec", victim, NFT); }

  /** How many of {@code n} TCP connects from {@code ns} to {@code target}:8080 succeed, each with its own timeout. */
  static int connects(String ns, String target, int n, int timeoutMs) throws Exception {
    String client = "import socket,sys\nok=0\nfor i in range(" + n + "):\n"
        + "  try:\n    socket.create_connection(('" + target + "',8080),timeout=" + (timeoutMs / 1000.0) + ").close(); ok+=1\n"
        + "  except OSError: pass\nprint(ok)\n";
    String out = sh(IP, "netns", "exec", ns, PY, "-c", client).strip();
    return Integer.parseInt(out);
  }

  boolean attackerReachesV4() throws Exception { return connects(attacker, VICTIM_V4, 1, 1000) == 1; }

  boolean attackerReachesV6() throws Exception { return connects(attacker, VICTIM_V6, 1, 1000) == 1; }

  /** Deletes PanicMode's table in the victim namespace, as a reboot would. */
  void dropTable(String table) throws Exception { sh(IP, "netns", "exec", victim, NFT, "delete", "table", "inet", table); }

  String listTable(String table) throws Exception { return sh(IP, "netns", "exec", victim, NFT, "list", "table", "inet", table); }

  static String sh(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(argv))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", argv));
    }
    if (p.exitValue() != 0) throw new IOException(String.join(" ", argv) + " failed: " + out);
    return out;
  }

  @Override
  public void close() throws Exception {
    if (listener != null) {
      listener.descendants().forEach(ProcessHandle::destroyForcibly);
      listener.destroyForcibly();
      listener.waitFor(5, TimeUnit.SECONDS);
    }
    for (String ns : List.of(victim, attacker)) {
      try {
        sh(IP, "netns", "del", ns);
      } catch (IOException e) {
        // Already gone; nothing else to clean.
      }
    }
  }
}
