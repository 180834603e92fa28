package io.panicmode.bench.action;

import io.panicmode.action.ActionVerticle;
import io.panicmode.action.HostEnv;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the action benchmarks: configs in a work dir, deploy timing, shell-free program runs. */
final class BenchSupport {
  private BenchSupport() {}

  static final String HOST = "benchhost";

  static PanicConfig config(Path dir, String firewallYaml) throws Exception {
    String yaml = "node:\n  id: " + HOST + "\n"
        + "storage:\n  incident_db: " + dir.resolve("incidents.db") + "\n  snapshot_dir: " + dir.resolve("snapshots") + "\n"
        + "processes:\n  mass_freeze_file: " + dir.resolve("mass_freeze.yaml") + "\n"
        + "circuit_breakers:\n  timeout: 60s\n"
        + "firewall:\n" + firewallYaml;
    return ConfigLoader.parse(yaml, "bench", Map.of());
  }

  /** Deploys and returns the time until start() completed (restore included), in milliseconds. */
  static double deployMillis(Vertx vertx, PanicConfig cfg, HostEnv env) throws Exception {
    long t0 = System.nanoTime();
    vertx.deployVerticle(new ActionVerticle(NodeContext.local(cfg), env)).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.MINUTES);
    return (System.nanoTime() - t0) / 1e6;
  }

  static Path script(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  /** The n-th public test address: 11.0.0.1, 11.0.0.2, ... (never in a never-block range). */
  static String ip(int n) {
    return "11." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
  }

  static String run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(Arrays.asList(argv))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", argv) + ": " + out);
    return out;
  }

  static double percentile(List<Double> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }
}
