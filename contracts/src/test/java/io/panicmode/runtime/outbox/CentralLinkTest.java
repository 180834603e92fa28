package io.panicmode.runtime.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CentralLinkTest {
  private Vertx vertx;
  @TempDir Path dir;

  @BeforeEach
  void setUp() { vertx = Vertx.vertx(); }

  @AfterEach
  void tearDown() throws Exception { vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void eventually(java.util.function.BooleanSupplier c) throws InterruptedException {
    long end = System.currentTimeMillis() + 10_000;
    while (!c.getAsBoolean() && System.currentTimeMillis() < end) Thread.sleep(20);
    assertTrue(c.getAsBoolean());
  }

  @Test
  void holdsWhileTheReceiverIsAwayAndDeliversInOrderWhenItReturns() throws Exception {
    CentralLink link = new CentralLink(vertx, dir.resolve("o.db"), 1000, 200, new MetricsRegistry());
    await(link.start());
    for (int i = 0; i < 50; i++) await(link.send("central", "m" + i, new JsonObject().put("n", i)));
    Thread.sleep(300);
    assertEquals(50, link.depth());
    List<Integer> got = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("central", m -> {
      got.add(m.body().getInteger("n"));
      m.reply(new JsonObject().put("ok", true));
    });
    eventually(() -> got.size() >= 50 && link.depth() == 0);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) expected.add(i);
    assertEquals(expected, got.subList(0, 50));
  }

  @Test
  void survivesARestartOfTheSender() throws Exception {
    CentralLink first = new CentralLink(vertx, dir.resolve("o.db"), 1000, 200, new MetricsRegistry());
    await(first.start());
    await(first.send("central", "a", new JsonObject().put("n", 1)));
    await(first.send("central", "a", new JsonObject().put("n", 1)));
    await(first.stop());
    CentralLink second = new CentralLink(vertx, dir.resolve("o.db"), 1000, 200, new MetricsRegistry());
    List<Integer> got = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("central", m -> {
      got.add(m.body().getInteger("n"));
      m.reply(null);
    });
    await(second.start());
    eventually(() -> second.depth() == 0);
    assertEquals(List.of(1), got, "one message, not two: the id was queued once");
  }

  @Test
  void malformedMessagesAreDroppedNotRetriedForever() throws Exception {
    MetricsRegistry m = new MetricsRegistry();
    CentralLink link = new CentralLink(vertx, dir.resolve("o.db"), 1000, 200, m);
    vertx.eventBus().<JsonObject>consumer("central", msg -> msg.fail(400, "bad"));
    await(link.start());
    await(link.send("central", "x", new JsonObject()));
    eventually(() -> link.depth() == 0);
    assertEquals(1, m.counterTotal("panicmode_central_outbox_rejected_total"));
  }

  @Test
  void boundedDroppingTheOldestAndCountingIt() throws Exception {
    MetricsRegistry m = new MetricsRegistry();
    CentralLink link = new CentralLink(vertx, dir.resolve("o.db"), 10, 200, m);
    await(link.start());
    for (int i = 0; i < 15; i++) await(link.send("nobody", "m" + i, new JsonObject().put("n", i)));
    assertEquals(10, link.depth());
    assertEquals(5, m.counterTotal("panicmode_central_outbox_dropped_total"));
  }
}
