package io.panicmode.action.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.panicmode.action.StorageReporter;
import io.panicmode.contracts.net.IpSet;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Changes to the same IP never overtake each other; changes to other IPs do not wait. */
@ExtendWith(VertxExtension.class)
class OrderingTest {
  @TempDir Path dir;

  static final class SlowFirewall implements Firewall {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch release = new CountDownLatch(1);

    @Override public void init() {}

    @Override public void block(List<Ban> bans, long now) {
      events.add("block-start " + bans.get(0).ip());
      if (bans.get(0).ip().equals("203.0.113.5")) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      events.add("block-end " + bans.get(0).ip());
    }

    @Override public void unblock(List<String> ips) { events.add("unblock " + ips.get(0)); }

    @Override public void rateLimit(List<Ban> ips, long now) {}

    @Override public String name() { return "slow"; }
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void unbanWaitsForTheBanOfTheSameIpOnly() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (BlockLedger ledger = io.panicmode.runtime.sqlite.SqliteStore.await(BlockLedger.open(vertx, dir.resolve("l.db"),
        new MetricsRegistry(), io.panicmode.runtime.sqlite.SqliteStore.Listener.NONE))) {
      SlowFirewall fw = new SlowFirewall();
      MetricsRegistry m = new MetricsRegistry();
      BlockService svc = new BlockService("h1", true, fw, new IpPolicy(IpSet.EMPTY, List.of(), false),
          new BanPolicy(null, 2.0, Duration.ofDays(7)), ledger, new io.panicmode.action.Offload() {
            @Override public <T> io.vertx.core.Future<T> run(java.util.concurrent.Callable<T> w) {
              return vertx.executeBlocking(w, false);
            }
          }, Clock.systemUTC(), new StorageReporter(vertx, new io.panicmode.runtime.NodeContext(null, "h1", Clock.systemUTC(), m,
              new io.panicmode.runtime.StatusBoard(), false, null, null, 0, "test")), r -> {}, 5, (ms, t) -> vertx.setTimer(ms, x -> t.run()),
          List.of(), problem -> {}, m);
      BlockService.BanRequest req = new BlockService.BanRequest("c1", 0, "t", null, false);
      vertx.getOrCreateContext().runOnContext(v -> {
        svc.block(List.of("203.0.113.5"), req);
        svc.unblock(List.of("203.0.113.5"), "c2", "operator", "");
        svc.block(List.of("203.0.113.6"), req);
      });
      Await.until("the other IP's ban done", () -> fw.events.contains("block-end 203.0.113.6"));
      // Nothing to wait on for "the unban did not overtake": give it a moment in which it would have.
      Thread.sleep(200);
      assertEquals(java.util.Set.of("block-start 203.0.113.5", "block-start 203.0.113.6", "block-end 203.0.113.6"),
          java.util.Set.copyOf(fw.events), "the unban overtook the ban, or another IP waited");
      fw.release.countDown();
      Await.until("the unban after the released ban", () -> fw.events.contains("unblock 203.0.113.5"));
      List<String> five = fw.events.stream().filter(e -> e.endsWith("203.0.113.5")).toList();
      assertEquals(List.of("block-start 203.0.113.5", "block-end 203.0.113.5", "unblock 203.0.113.5"), five);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
