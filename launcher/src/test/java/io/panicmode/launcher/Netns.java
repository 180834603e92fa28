package io.panicmode.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private test network: one "switch" namespace holding a bridge, and host namespaces each
 * joined to it by a veth pair with an address in 10.77.0.0/24. The root namespace is never
 * touched; {@link #close()} deletes every namespace (and with them every veth).
 */
final class Netns implements AutoCloseable {
  private final String prefix = "pm" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
  private final String sw = prefix + "sw";
  private final List<String> created = new ArrayList<>();

  Netns() throws IOException {
    ns(sw);
    exec("ip", "netns", "exec", sw, "ip", "link", "add", "br0", "type", "bridge");
    exec("ip", "netns", "exec", sw, "ip", "link", "set", "br0", "up");
    exec("ip", "netns", "exec", sw, "ip", "link", "set", "lo", "up");
  }

  static boolean available() {
    try {
      return "root".equals(System.getProperty("user.name"))
          && new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** True when the nft command runs (Debian package nftables). */
  static boolean nftAvailable() {
    try {
      return new ProcessBuilder("nft", "--version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Adds host {@code name} at 10.77.0.{@code octet}; returns its namespace name. */
  String host(String name, int octet) throws IOException {
    String n = prefix + name;
    ns(n);
    String hostSide = "h" + octet + prefix;
    String swSide = "s" + octet + prefix;
    exec("ip", "link", "add", hostSide, "type", "veth", "peer", "name", swSide);
    exec("ip", "link", "set", hostSide, "netns", n);
    exec("ip", "link", "set", swSide, "netns", sw);
    exec("ip", "netns", "exec", n, "ip", "link", "set", hostSide, "name", "eth0");
    exec("ip", "netns", "exec", n, "ip", "addr", "add", "10.77.0." + octet + "/24", "dev", "eth0");
    exec("ip", "netns", "exec", n, "ip", "link", "set", "eth0", "up");
    exec("ip", "netns", "exec", n, "ip", "link", "set", "lo", "up");
    exec("ip", "netns", "exec", sw, "ip", "link", "set", swSide, "master", "br0");
    exec("ip", "netns", "exec", sw, "ip", "link", "set", swSide, "up");
    return n;
  }

  /** Cuts (or restores) the link of the host at {@code octet}, on the switch side. */
  void link(int octet, boolean up) throws IOException {
    exec("ip", "netns", "exec", sw, "ip", "link", "set", "s" + octet + prefix, up ? "up" : "down");
  }

  static List<String> in(String ns) {
    return List.of("ip", "netns", "exec", ns);
  }

  static String exec(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  private void ns(String name) throws IOException {
    exec("ip", "netns", "add", name);
    created.add(name);
  }

  @Override
  public void close() {
    for (String n : created) {
      try {
        exec("ip", "netns", "pids", n).lines().forEach(pid -> {
          try {
            exec("kill", "-KILL", pid.trim());
          } catch (IOException ignored) {
            // already gone
          }
        });
        exec("ip", "netns", "del", n);
      } catch (IOException ignored) {
        // best effort: nothing else holds these namespaces
      }
    }
  }
}
