package io.panicmode.launcher.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which agents have gone quiet. Fed with the time each host was last heard from; {@link #check}
 * reports each host once when it has been silent longer than {@code staleAfterMs}, and once again
 * when it is heard from after that. Bounded: at most {@code maxHosts} hosts are tracked (the one
 * heard from least recently is forgotten first). Not thread-safe: one event loop owns it.
 */
public final class StaleAgents {
  /** A host that went stale ({@code stale = true}) or came back. */
  public record Change(String host, boolean stale, long lastSeen) {}

  private final long staleAfterMs;
  private final int maxHosts;
  private final Map<String, Long> lastSeen = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Boolean> stale = new LinkedHashMap<>();
  private final List<Change> comebacks = new ArrayList<>();

  public StaleAgents(long staleAfterMs, int maxHosts) {
    this.staleAfterMs = staleAfterMs;
    this.maxHosts = maxHosts;
  }

  public void heard(String host, long now) {
    lastSeen.put(host, now);
    if (Boolean.TRUE.equals(stale.put(host, false))) comebacks.add(new Change(host, false, now));
    if (lastSeen.size() > maxHosts) {
      String eldest = lastSeen.keySet().iterator().next();
      lastSeen.remove(eldest);
      stale.remove(eldest);
    }
  }

  /** Hosts that went stale since the last check, and hosts that came back. */
  public List<Change> check(long now) {
    List<Change> out = new ArrayList<>(comebacks);
    comebacks.clear();
    lastSeen.forEach((host, seen) -> {
      if (now - seen > staleAfterMs && !Boolean.TRUE.equals(stale.get(host))) {
        stale.put(host, true);
        out.add(new Change(host, true, seen));
      }
    });
    return out;
  }
}
