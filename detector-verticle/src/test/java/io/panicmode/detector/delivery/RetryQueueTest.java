package io.panicmode.detector.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryQueueTest {
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void boundedWhileTheReceiverIsAbsentThenDeliversWhatItKept() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MetricsRegistry m = new MetricsRegistry();
      String addr = "panicmode.test.absent";
      // Everything runs on one event-loop context, as in the detector.
      RetryQueue q = vertx.executeBlocking(() -> null).compose(v -> {
        io.vertx.core.Promise<RetryQueue> p = io.vertx.core.Promise.promise();
        vertx.runOnContext(x -> {
          RetryQueue rq = new RetryQueue(vertx, Clock.systemUTC(), m, 100, 8, 1000, 60_000);
          // 5,000 requests that all fail at once (no handler): no recursion, bounded, drops counted.
          for (int i = 0; i < 5000; i++) rq.offer(addr, "r" + i, new JsonObject().put("i", i));
          p.complete(rq);
        });
        return p.future();
      }).await();
      assertEquals(4900, m.counterValue("panicmode_detector_delivery_dropped_total", "reason", "full"));
      assertEquals(100, q.depth());

      Set<Integer> got = ConcurrentHashMap.newKeySet();
      vertx.eventBus().<JsonObject>consumer(addr, msg -> {
        got.add(msg.body().getInteger("i"));
        msg.reply(new JsonObject());
      }).completion().await();
      long end = System.currentTimeMillis() + 15_000;
      while (got.size() < 100 && System.currentTimeMillis() < end) Thread.sleep(20);
      assertEquals(100, got.size());
      assertTrue(got.stream().allMatch(i -> i >= 4900), "the newest requests are the ones kept");
      assertEquals(100, m.counterValue("panicmode_detector_delivery_acked_total"));
    } finally {
      vertx.close().await();
    }
  }
}
