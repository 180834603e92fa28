package io.panicmode.api.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class MetricHistoryTest {
  private final LongAdder evicted = new LongAdder();
  private final LongAdder late = new LongAdder();

  private MetricHistory history(int hosts, int points) {
    return new MetricHistory(hosts, points, 1_000, evicted, late);
  }

  @Test
  void samplesInOneBucketMergeAndTheLaterValueWins() {
    MetricHistory h = history(4, 10);
    h.record("web-1", 10_100, Map.of("cpu_usage", 10.0, "memory_usage", 40.0));
    h.record("web-1", 10_900, Map.of("cpu_usage", 30.0, "load_average", 1.5));
    List<MetricHistory.Point> pts = h.points("web-1");
    assertEquals(1, pts.size());
    JsonObject p = pts.get(0).toJson();
    assertEquals(10_000L, p.getLong("ts"));
    assertEquals(30.0, p.getDouble("cpu_usage"));
    assertEquals(40.0, p.getDouble("memory_usage"));
    assertEquals(1.5, p.getDouble("load_average"));
    assertNull(p.getValue("connections_total"), "a figure never reported is a gap, not 0");
  }

  @Test
  void unknownKeysAndNonFiniteValuesAreMissingNotZero() {
    MetricHistory h = history(4, 10);
    assertNull(h.record("web-1", 1_000, Map.of("process_count", 300.0, "cpu_usage", Double.NaN)));
    assertTrue(h.points("web-1").isEmpty());
    h.record("web-1", 2_000, Map.of("cpu_usage", Double.POSITIVE_INFINITY, "memory_usage", 5.0));
    assertNull(h.points("web-1").get(0).toJson().getValue("cpu_usage"));
  }

  @Test
  void keepsOnlyTheNewestPointsPerHost() {
    MetricHistory h = history(4, 3);
    for (int i = 0; i < 5; i++) h.record("web-1", i * 1_000L, Map.of("cpu_usage", (double) i));
    List<MetricHistory.Point> pts = h.points("web-1");
    assertEquals(List.of(2_000L, 3_000L, 4_000L), pts.stream().map(MetricHistory.Point::ts).toList());
  }

  @Test
  void evictsTheHostHeardFromLeastRecently() {
    MetricHistory h = history(2, 3);
    h.record("a", 1_000, Map.of("cpu_usage", 1.0));
    h.record("b", 2_000, Map.of("cpu_usage", 1.0));
    h.record("a", 3_000, Map.of("cpu_usage", 1.0));
    h.record("c", 4_000, Map.of("cpu_usage", 1.0));
    assertEquals(List.of("a", "c"), h.hosts());
    assertEquals(1, evicted.sum());
  }

  @Test
  void lateSamplesAreDroppedAndCounted() {
    MetricHistory h = history(2, 5);
    h.record("a", 5_000, Map.of("cpu_usage", 50.0));
    assertNull(h.record("a", 3_500, Map.of("cpu_usage", 99.0)));
    assertEquals(1, late.sum());
    assertEquals(50.0, h.points("a").get(0).toJson().getDouble("cpu_usage"));
  }

  @Test
  void authFailuresAreCountedPerBucketAlongsideTheFigures() {
    MetricHistory h = history(2, 5);
    h.countAuthFailure("a", 1_100);
    h.countAuthFailure("a", 1_200);
    h.record("a", 1_300, Map.of("connections_total", 12.0));
    h.countAuthFailure("a", 2_100);
    JsonObject json = h.toJson("a");
    assertEquals(1_000L, json.getLong("stepMillis"));
    assertEquals(2, json.getJsonArray("points").size());
    JsonObject first = json.getJsonArray("points").getJsonObject(0);
    assertEquals(2L, first.getLong("auth_failures"));
    assertEquals(12.0, first.getDouble("connections_total"));
    assertEquals(1L, json.getJsonArray("points").getJsonObject(1).getLong("auth_failures"));
    assertTrue(json.getJsonArray("figures").contains("auth_failures"));
  }

  @Test
  void unknownHostHasAnEmptyHistory() {
    JsonObject json = history(2, 5).toJson("nobody");
    assertEquals(0, json.getJsonArray("points").size());
  }
}
