package io.panicmode.detector.claims;

import io.vertx.core.Future;

/**
 * An atomic key/value store the detectors of one host share for dedup and alert rate limits.
 * Both operations must be atomic across every detector using the store (that is what makes one
 * incident fire once in a cluster). Values are opaque strings compared by equality.
 * A failed future means the store could not be reached; retrying may help.
 */
public interface ClaimStore {
  /** Stores {@code value} unless the key holds one; the current value, or null when this call stored it. */
  Future<String> putIfAbsent(String key, String value, long ttlMs);

  /** Replaces {@code oldValue} by {@code newValue}; false when the key no longer holds {@code oldValue}. */
  Future<Boolean> replaceIfPresent(String key, String oldValue, String newValue, long ttlMs);
}
