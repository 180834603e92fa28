package io.panicmode.detector.claims;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A single-process {@link ClaimStore} on a plain map, expiring entries by the given clock: used
 * by replay and the scenario tests (fake clock), where every future is already complete.
 * Not thread-safe: one thread uses it.
 */
public final class MemoryClaimStore implements ClaimStore {
  private record Entry(String value, long expiresAt) {}

  private final Map<String, Entry> map = new HashMap<>();
  private final LongSupplier now;
  private long nextSweep;

  public MemoryClaimStore(LongSupplier now) { this.now = now; }

  @Override
  public Future<String> putIfAbsent(String key, String value, long ttlMs) {
    long t = now.getAsLong();
    sweep(t);
    Entry e = map.get(key);
    if (e != null && e.expiresAt > t) return Future.succeededFuture(e.value);
    map.put(key, new Entry(value, t + ttlMs));
    return Future.succeededFuture(null);
  }

  @Override
  public Future<Boolean> replaceIfPresent(String key, String oldValue, String newValue, long ttlMs) {
    long t = now.getAsLong();
    Entry e = map.get(key);
    if (e == null || e.expiresAt <= t || !e.value.equals(oldValue)) return Future.succeededFuture(false);
    map.put(key, new Entry(newValue, t + ttlMs));
    return Future.succeededFuture(true);
  }

  public int size() { return map.size(); }

  /** Drops expired entries now and then, so the map stays as small as the live claims. */
  private void sweep(long t) {
    if (t < nextSweep) return;
    nextSweep = t + 1000;
    for (Iterator<Entry> it = map.values().iterator(); it.hasNext(); ) if (it.next().expiresAt <= t) it.remove();
  }
}
