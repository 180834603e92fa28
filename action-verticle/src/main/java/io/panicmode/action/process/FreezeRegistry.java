package io.panicmode.action.process;

import io.panicmode.contracts.ProcessRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Processes this verticle froze, with when, so {@code thaw} and the automatic thaw after freeze_timeout know them. Thread-safe. */
public final class FreezeRegistry {
  private record Frozen(ProcessRef ref, long at) {}

  private final Map<String, Frozen> frozen = new ConcurrentHashMap<>();

  private static String key(ProcessRef r) { return r.pid() + ":" + r.startTime(); }

  public void add(List<ProcessRef> refs, long now) { refs.forEach(r -> frozen.put(key(r), new Frozen(r, now))); }

  public void remove(List<ProcessRef> refs) { refs.forEach(r -> frozen.remove(key(r))); }

  public List<ProcessRef> all() { return frozen.values().stream().map(Frozen::ref).toList(); }

  public List<ProcessRef> frozenBefore(long cutoff) {
    List<ProcessRef> out = new ArrayList<>();
    frozen.values().forEach(f -> {
      if (f.at() <= cutoff) out.add(f.ref());
    });
    return out;
  }

  public int size() { return frozen.size(); }
}
