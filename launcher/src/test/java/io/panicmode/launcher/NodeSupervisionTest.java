package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Role;
import io.panicmode.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A role that stops is redeployed with backoff; three failures in a row end the process non-zero. */
class NodeSupervisionTest {
  static final class Steady extends VerticleBase {}

  static final class Failing extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.failedFuture("disk on fire");
    }
  }

  private static PanicConfig config(Path dir) throws Exception {
    return ConfigLoader.parse("""
        node: {id: sup}
        storage: {incident_db: "%s/db", snapshot_dir: "%s/s", log_dir: "%s/l", state_file: "%s/st.json"}
        logging: {file: false}
        """.formatted(dir, dir, dir, dir), "t", Map.of());
  }

  @Test
  void aStoppedRoleIsRedeployed(@TempDir Path dir) throws Exception {
    List<Integer> exits = new CopyOnWriteArrayList<>();
    Node node = Node.start(config(dir), dir.resolve("none.yaml"), Map.of(), EnumSet.of(Role.DETECTOR), exits::add,
        (role, ctx) -> new Steady()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      String first = node.deploymentOf(Role.DETECTOR);
      assertNotNull(first);
      node.vertx().undeploy(first).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertTrue(Await.holds(Duration.ofSeconds(5), () -> {
        String now = node.deploymentOf(Role.DETECTOR);
        return now != null && !now.equals(first) && node.vertx().deploymentIDs().contains(now);
      }), "role was not redeployed");
      assertEquals("ok", node.context().status().snapshot().get("detector"));
      assertTrue(exits.isEmpty());
    } finally {
      node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void threeFailuresInARowExitNonZero(@TempDir Path dir) throws Exception {
    List<Integer> exits = new CopyOnWriteArrayList<>();
    AtomicInteger starts = new AtomicInteger();
    Node node = Node.start(config(dir), dir.resolve("none.yaml"), Map.of(), EnumSet.of(Role.DETECTOR), exits::add,
        (role, ctx) -> starts.getAndIncrement() == 0 ? new Steady() : new Failing())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      long t0 = System.nanoTime();
      node.vertx().undeploy(node.deploymentOf(Role.DETECTOR)).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
      assertTrue(Await.holds(Duration.ofSeconds(15), () -> !exits.isEmpty()), "process did not give up");
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertNotEquals(0, exits.get(0));
      assertEquals(3, starts.get(), "one good start, then two failed redeploys after 1 s and 2 s");
      assertTrue(waitedMs >= 2_500, "backoff of 1 s then 2 s was not honoured: " + waitedMs + " ms");
      assertEquals("degraded", node.context().status().snapshot().get("detector"));
    } finally {
      node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
