package io.panicmode.detector.claims;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link ClaimStore} on {@code vertx.sharedData()}'s async map: cluster-wide (Hazelcast, whose
 * putIfAbsent and replace are atomic across members) when Vert.x is clustered, process-local
 * otherwise. Calls fail after {@code timeoutMs} so a partitioned cluster cannot stall the detector.
 */
public final class SharedDataClaimStore implements ClaimStore {
  public static final String MAP_NAME = "panicmode.detector.claims";

  private final AsyncMap<String, String> map;
  private final long timeoutMs;

  private SharedDataClaimStore(AsyncMap<String, String> map, long timeoutMs) {
    this.map = map;
    this.timeoutMs = timeoutMs;
  }

  public static Future<SharedDataClaimStore> open(Vertx vertx, long timeoutMs) {
    return vertx.sharedData().<String, String>getAsyncMap(MAP_NAME)
        .map(m -> new SharedDataClaimStore(m, timeoutMs));
  }

  @Override
  public Future<String> putIfAbsent(String key, String value, long ttlMs) {
    return map.putIfAbsent(key, value, Math.max(1, ttlMs)).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<Boolean> replaceIfPresent(String key, String oldValue, String newValue, long ttlMs) {
    return map.replaceIfPresent(key, oldValue, newValue, Math.max(1, ttlMs))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
