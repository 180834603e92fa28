package io.panicmode.detector.claims;

import io.vertx.core.Future;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * A single-process {@link ClaimStore} on a plain map, expiring entries by the given clock: used
 * by replay and the scenario tests (fake clock), where every future is already complete.
 * Not thread-safe: one thread uses it.
 */
public final class MemoryClaimStore implements ClaimStore {
  private record Entry(String value, long expiresAt) {}

  /** In write order, so expired entries gather at the head. */
  private final LinkedHashMap<String, Entry> map = new LinkedHashMap<>();
  private final LongSupplier now;

  public MemoryClaimStore(LongSupplier now) { this.now = now; }

  @Override
  public Future<String> putIfAbsent(String key, String value, long ttlMs) {
    long t = now.getAsLong();
    sweep(t);
    Entry e = map.get(key);
    if (e != null && e.expiresAt > t) return Future.succeededFuture(e.value);
    map.remove(key);
    map.put(key, new Entry(value, t + ttlMs));
    return Future.succeededFuture(null);
  }

  @Override
  public Future<Boolean> replaceIfPresent(String key, String oldValue, String newValue, long ttlMs) {
    long t = now.getAsLong();
    Entry e = map.get(key);
    if (e == null || e.expiresAt <= t || !e.value.equals(oldValue)) return Future.succeededFuture(false);
    map.remove(key);
    map.put(key, new Entry(newValue, t + ttlMs));
    return Future.succeededFuture(true);
  }

  public int size() { return map.size(); }

  /**
   * Drops expired entries from the head (oldest writes) up to the first live one: amortised O(1)
   * per write. An entry with a shorter TTL behind a longer one waits for it; it is expired for
   * every read all the same.
   */
  private void sweep(long t) {
    for (Iterator<Entry> it = map.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAt > t) return;
      it.remove();
    }
  }
}
