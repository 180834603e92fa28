package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.ConfigLoader;
import io.panicmode.contracts.Role;
import io.panicmode.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads are serialized and coalesced, and read the file with the same strict loader as start. */
class NodeReloadTest {
  private static final Set<Role> ROLES = EnumSet.of(Role.DETECTOR, Role.ACTION, Role.ALERT);
  private static final String CONFIG = """
      node: {id: reload-unit}
      storage: {incident_db: "%1$s/db", snapshot_dir: "%1$s/s", log_dir: "%1$s/l", state_file: "%1$s/st.json"}
      logging: {file: false}
      firewall: {backend: dry_run, whitelist: %2$s}
      """;

  /** Counts, per role, the instances that started and have not stopped. */
  static final class Live {
    final Map<Role, AtomicInteger> running = new ConcurrentHashMap<>();

    VerticleBase verticle(Role role) {
      AtomicInteger n = running.computeIfAbsent(role, r -> new AtomicInteger());
      return new VerticleBase() {
        @Override
        public Future<?> start() {
          n.incrementAndGet();
          // A start that takes a moment, as real roles do, widens the window a second reload used to hit.
          return vertx.timer(30);
        }

        @Override
        public Future<?> stop() {
          n.decrementAndGet();
          return Future.succeededFuture();
        }
      };
    }

    Map<Role, Integer> snapshot() {
      Map<Role, Integer> out = new EnumMap<>(Role.class);
      running.forEach((r, n) -> out.put(r, n.get()));
      return out;
    }
  }

  @Test
  void concurrentReloadsLeaveExactlyOneDeploymentPerRoleWithTheNewestConfig(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("panicmode.yaml");
    Files.writeString(file, CONFIG.formatted(dir, "[]"));
    Live live = new Live();
    List<Integer> exits = new CopyOnWriteArrayList<>();
    Node node = Node.start(ConfigLoader.load(file, Map.of()), file, Map.of(), ROLES, exits::add,
        (role, ctx) -> live.verticle(role)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      Files.writeString(file, CONFIG.formatted(dir, "[\"203.0.113.0/24\"]"));
      List<Future<List<String>>> answers = List.of(node.reload(), node.reload(), node.reload());
      for (Future<List<String>> a : answers) {
        assertEquals(List.of(), a.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      }
      assertTrue(Await.holds(Duration.ofSeconds(20), () -> node.context().metrics()
          .counterValue("panicmode_config_reloads_total") >= 1 && !node.reloadInProgress()), "reload never settled");
      assertEquals(Map.of(Role.DETECTOR, 1, Role.ACTION, 1, Role.ALERT, 1), live.snapshot());
      // What /health reports: one running deployment per role, and no "deployments" reason.
      assertEquals(Map.of("detector", 1, "action", 1, "alert", 1), node.context().status().deployments());
      assertFalse(node.context().status().reasons().containsKey("deployments"), node.context().status().reasons().toString());
      for (Role role : ROLES) {
        assertTrue(node.vertx().deploymentIDs().contains(node.deploymentOf(role)), role + " not running");
      }
      assertEquals(List.of("203.0.113.0/24"), node.context().config().firewall().whitelist());
      assertTrue(node.context().metrics().counterValue("panicmode_config_reloads_total") <= 2,
          "three reloads at once are coalesced into at most two passes");
      assertTrue(exits.isEmpty());
    } finally {
      node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void reloadRefusesADuplicateKeyAsStartDoes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("panicmode.yaml");
    Files.writeString(file, CONFIG.formatted(dir, "[]"));
    Node node = Node.start(ConfigLoader.load(file, Map.of()), file, Map.of(), ROLES, code -> { },
        (role, ctx) -> new Live().verticle(role)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      Files.writeString(file, CONFIG.formatted(dir, "[]") + "firewall: {backend: nftables}\n");
      List<String> errors = node.reload().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(1, errors.size(), errors.toString());
      assertTrue(errors.get(0).contains("duplicate key firewall"), errors.toString());
      assertEquals("DRY_RUN", node.context().config().firewall().backend().name(), "the running config is kept");
    } finally {
      node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static java.util.stream.Stream<String> hostileFiles() {
    String alias = "x0: &a0 [1,2,3,4,5,6,7,8,9]\n" + java.util.stream.IntStream.range(1, 10)
        .mapToObj(i -> "x" + i + ": &a" + i + " [" + String.join(",", java.util.Collections.nCopies(9, "*a" + (i - 1))) + "]\n")
        .collect(java.util.stream.Collectors.joining());
    return java.util.stream.Stream.of(
        "# " + "x".repeat(97) + "\n".repeat(1) + ("#" + "y".repeat(99) + "\n").repeat(36_000),
        "monitors: " + "[".repeat(200) + "]".repeat(200) + "\n",
        alias);
  }

  /** Reload gives the very answer validate and run give: same loader, same limits, same message. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("hostileFiles")
  void reloadRefusesHostileFilesWithTheSameErrorAsStart(String text, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("panicmode.yaml");
    Files.writeString(file, CONFIG.formatted(dir, "[]"));
    Node node = Node.start(ConfigLoader.load(file, Map.of()), file, Map.of(), ROLES, code -> { },
        (role, ctx) -> new Live().verticle(role)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      Files.writeString(file, text);
      List<String> atStart;
      try {
        ConfigLoader.load(file, Map.of());
        throw new AssertionError("start accepted a hostile file");
      } catch (io.panicmode.config.ConfigException e) {
        atStart = e.errors().stream().map(Object::toString).toList();
      }
      List<String> atReload = node.reload().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(atStart, atReload);
    } finally {
      node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
