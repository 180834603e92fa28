package io.panicmode.action;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.ProcessRef;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.StatusBoard;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Shared helpers: configs in temp dirs, contexts, commands, recording scripts. */
final class TestSupport {
  private TestSupport() {}

  static final String HOST = "testhost";

  /** A config whose files all live under {@code dir}, plus the extra YAML given (top-level sections). */
  static PanicConfig config(Path dir, String extraYaml) throws Exception {
    return config(dir, "", extraYaml);
  }

  /** As {@link #config(Path, String)}, with extra indented lines for the storage section. */
  static PanicConfig config(Path dir, String storageExtra, String extraYaml) throws Exception {
    String yaml = "node:\n  id: " + HOST + "\n"
        + "storage:\n  incident_db: " + dir.resolve("incidents.db") + "\n  snapshot_dir: " + dir.resolve("snapshots") + "\n"
        + "  log_dir: " + dir + "\n  state_file: " + dir.resolve("state.json") + "\n" + storageExtra
        + "processes:\n  mass_freeze_file: " + dir.resolve("mass_freeze.yaml") + "\n"
        + extraYaml;
    return ConfigLoader.parse(yaml, "test", Map.of());
  }

  static NodeContext local(PanicConfig cfg) {
    return NodeContext.local(cfg);
  }

  /** Local mode on the given clock (a {@code SteppedClock} lets a test step over open durations). */
  static NodeContext local(PanicConfig cfg, Clock clock) {
    return new NodeContext(cfg, cfg.node().id(), clock, new MetricsRegistry(), new StatusBoard(), false, null, null,
        clock.millis(), "test");
  }

  static NodeContext clustered(PanicConfig cfg, CommandSigner commandKey, CommandSigner operatorKey) {
    Clock clock = Clock.systemUTC();
    return new NodeContext(cfg, HOST, clock, new MetricsRegistry(), new StatusBoard(), true, commandKey, operatorKey,
        clock.millis(), "test");
  }

  static ActionCommand command(String op, List<String> ips, List<ProcessRef> procs, String target) {
    return new ActionCommand(UUID.randomUUID().toString(), HOST, op, ips, procs, 0, "test", target, null, "detector",
        System.currentTimeMillis(), "");
  }

  static ActionCommand block(String... ips) {
    return command("block_ip", List.of(ips), List.of(), "");
  }

  static Incident incident(String rule, String details) {
    return new Incident("inc-" + UUID.randomUUID(), HOST, rule, "cpu_usage", Severity.CRITICAL, Incident.State.FIRING,
        rule + " exceeded threshold: 97.3 > 80.0", details, 97.3, 80.0, Subjects.NONE, List.of("run_script"),
        System.currentTimeMillis(), null);
  }

  static ActionResult send(Vertx vertx, ActionCommand c) throws Exception {
    return send(vertx, c.toJson());
  }

  static ActionResult send(Vertx vertx, JsonObject body) throws Exception {
    JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.action(HOST), body, new DeliveryOptions().setSendTimeout(20_000))
        .toCompletionStage().toCompletableFuture().get(25, TimeUnit.SECONDS).body();
    return ActionResult.fromJson(reply);
  }

  static void deploy(Vertx vertx, ActionVerticle v) throws Exception {
    vertx.deployVerticle(v).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** An executable shell script with the given body (test-owned content only, never attacker text). */
  static Path script(Path dir, String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  /**
   * A script that appends one line per run to {@code log}: the number of arguments, then each
   * argument between brackets, so a split or injected argument is visible.
   */
  static Path recordingScript(Path dir, String name, Path log, int exitCode) throws IOException {
    return script(dir, name, "{ printf '%s' \"$#\"; for a in \"$@\"; do printf ' [%s]' \"$a\"; done; printf '\\n'; } >> '"
        + log + "'\nexit " + exitCode);
  }

  static List<String> lines(Path p) throws IOException {
    return Files.exists(p) ? Files.readAllLines(p) : List.of();
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

}
