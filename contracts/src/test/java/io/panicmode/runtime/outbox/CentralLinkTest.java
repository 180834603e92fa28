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
    eventually(c, 10_000);
  }

  /** Longer waits where a lane's backoff (up to 30 s) has grown while nobody listened. */
  private static void eventually(java.util.function.BooleanSupplier c, long ms) throws InterruptedException {
    long end = System.currentTimeMillis() + ms;
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

  @Test
  void aDestinationThatNeverAnswersHoldsUpNoOther() throws Exception {
    CentralLink link = new CentralLink(vertx, dir.resolve("o.db"), 1000, 200, new MetricsRegistry());
    await(link.start());
    vertx.eventBus().<JsonObject>consumer("storage", m -> { }); // takes writes and never answers: a dead disk
    List<Integer> alerts = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("alerts", m -> {
      alerts.add(m.body().getInteger("n"));
      m.reply(null);
    });
    for (int i = 0; i < 10; i++) {
      await(link.send("storage", "w" + i, new JsonObject().put("n", i)));
      await(link.send("alerts", "a" + i, new JsonObject().put("n", i)));
    }
    eventually(() -> alerts.size() == 10);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), alerts, "every alert, in order, while storage is stuck");
    eventually(() -> link.depth() == 10); // the storage writes wait, the delivered alerts are gone
  }

  @Test
  void aMessageSentBeforeItsReceiverExistsIsDeliveredOnceItDoes() throws Exception {
    CentralLink link = new CentralLink(vertx, dir.resolve("o.db"), 1000, 200, new MetricsRegistry());
    await(link.start());
    await(link.send("alerts", "early", new JsonObject().put("n", 1)));
    Thread.sleep(300); // "No handlers for address alerts": retried, not dropped
    List<Integer> got = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("alerts", m -> {
      got.add(m.body().getInteger("n"));
      m.reply(null);
    });
    eventually(() -> got.size() == 1 && link.depth() == 0);
  }

  @Test
  void aFileThatCannotBeCreatedMeansMemoryUntilItCanThenTheFileAgain() throws Exception {
    // The outbox's directory cannot be created while a plain file sits where it should be.
    Path blocker = dir.resolve("data");
    java.nio.file.Files.writeString(blocker, "not a directory");
    MetricsRegistry m = new MetricsRegistry();
    CentralLink link = new CentralLink(vertx, blocker.resolve("o.db"), 1000, 200, m);
    await(link.start());
    assertTrue(link.diskProblem() != null, "starts in memory");
    for (int i = 0; i < 5; i++) await(link.send("central", "m" + i, new JsonObject().put("n", i)));
    assertEquals(5, link.depth());

    java.nio.file.Files.delete(blocker);
    eventually(() -> link.diskProblem() == null); // tried again on DISK_RETRY
    assertEquals(5, rowsIn(blocker.resolve("o.db")), "what memory held is in the file now");
    List<Integer> got = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("central", msg -> {
      got.add(msg.body().getInteger("n"));
      msg.reply(null);
    });
    eventually(() -> link.depth() == 0, 40_000);
    assertEquals(List.of(0, 1, 2, 3, 4), got, "in order, each once");
    assertEquals(0, rowsIn(blocker.resolve("o.db")));
  }

  @Test
  void inMemoryMessagesAreDeliveredWithoutTheDisk() throws Exception {
    Path blocker = dir.resolve("data");
    java.nio.file.Files.writeString(blocker, "not a directory");
    CentralLink link = new CentralLink(vertx, blocker.resolve("o.db"), 1000, 200, new MetricsRegistry());
    List<Integer> got = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("central", msg -> {
      got.add(msg.body().getInteger("n"));
      msg.reply(null);
    });
    await(link.start());
    for (int i = 0; i < 20; i++) await(link.send("central", "m" + i, new JsonObject().put("n", i)));
    eventually(() -> got.size() == 20 && link.depth() == 0);
    assertTrue(link.diskProblem() != null, "still in memory");
  }

  @Test
  void aDamagedFileIsMovedAsideAndReplaced() throws Exception {
    byte[] junk = new byte[8192];
    new java.util.Random(7).nextBytes(junk);
    java.nio.file.Files.write(dir.resolve("o.db"), junk);
    CentralLink link = new CentralLink(vertx, dir.resolve("o.db"), 1000, 200, new MetricsRegistry());
    await(link.start());
    assertEquals(null, link.diskProblem());
    try (var files = java.nio.file.Files.list(dir)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("o.db.corrupt-")), "kept aside for inspection");
    }
    await(link.send("central", "x", new JsonObject()));
    assertEquals(1, rowsIn(dir.resolve("o.db")));
  }

  private static long rowsIn(Path file) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
         var rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }
}
