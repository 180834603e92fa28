package io.panicmode.detector.claims;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Check-and-record over a {@link ClaimStore}: "has key K been claimed within the last W ms? if
 * not, it is mine now", in one atomic step. Used for dedup ((host, rule, subject) within
 * {@code detector.dedup_window}) and for alert rate limits ((host, rule, severity) within the
 * severity's limit). Claims this detector won are mirrored locally (bounded) so they can be
 * written to the state file and restored after a restart.
 *
 * <p>When the store fails, the claim is granted: acting twice is better than never acting. The
 * failure is counted.
 */
public final class Claims {
  /** A claim as stored: who holds it and since when. */
  public record Record(String key, String id, long at, long windowMs) {
    /** "at|windowMs|id": compact, since every incident writes one; the id is last, so it may hold any character. */
    String encode() { return at + "|" + windowMs + "|" + id; }

    static Record decode(String key, String value) {
      int a = value.indexOf('|');
      int b = value.indexOf('|', a + 1);
      if (a < 0 || b < 0) throw new IllegalArgumentException("not a claim: " + value);
      return new Record(key, value.substring(b + 1), Long.parseLong(value.substring(0, a)),
          Long.parseLong(value.substring(a + 1, b)));
    }
  }

  /** The result: won, or lost to {@code holderId}. */
  public record Outcome(boolean won, String holderId) {}

  private final ClaimStore store;
  private final int maxMirrored;
  private final LongAdder errors;
  private final LinkedHashMap<String, Record> mirror = new LinkedHashMap<>(16, 0.75f, false);

  public Claims(ClaimStore store, int maxMirrored, LongAdder errors) {
    this.store = store;
    this.maxMirrored = maxMirrored;
    this.errors = errors;
  }

  public Future<Outcome> claim(String key, String id, long now, long windowMs) {
    if (windowMs <= 0) return Future.succeededFuture(new Outcome(true, id));
    Record mine = new Record(key, id, now, windowMs);
    String value = mine.encode();
    return store.putIfAbsent(key, value, windowMs).compose(existing -> {
      if (existing == null) return Future.succeededFuture(won(mine));
      Record held = decodeOrNull(key, existing);
      if (held != null && now - held.at() < windowMs) return Future.succeededFuture(new Outcome(false, held.id()));
      // The store still holds an entry our clock says is over (TTLs run on the store's own time):
      // take it over only if nobody replaced it meanwhile.
      return store.replaceIfPresent(key, existing, value, windowMs)
          .map(ok -> ok ? won(mine) : new Outcome(false, held == null ? "" : held.id()));
    }).recover(err -> {
      errors.increment();
      return Future.succeededFuture(won(mine));
    });
  }

  private Outcome won(Record r) {
    mirror.remove(r.key());
    mirror.put(r.key(), r);
    while (mirror.size() > maxMirrored) {
      Iterator<Record> it = mirror.values().iterator();
      it.next();
      it.remove();
    }
    return new Outcome(true, r.id());
  }

  private static Record decodeOrNull(String key, String value) {
    try {
      return Record.decode(key, value);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The claims won that are still running at {@code now}, oldest first. */
  public List<Record> live(long now) {
    mirror.values().removeIf(r -> now - r.at() >= r.windowMs());
    return new ArrayList<>(mirror.values());
  }

  /** Puts claims from a state file back into the store (and the mirror); expired ones are skipped. */
  public Future<Void> restore(List<Record> records, long now) {
    List<Future<String>> all = new ArrayList<>();
    for (Record r : records) {
      long left = r.windowMs() - (now - r.at());
      if (left <= 0) continue;
      won(r);
      all.add(store.putIfAbsent(r.key(), r.encode(), left));
    }
    return Future.join(all).recover(err -> {
      errors.increment();
      return Future.succeededFuture();
    }).mapEmpty();
  }

  /** Number of claims mirrored locally. */
  public int mirrored() { return mirror.size(); }
}
