package io.panicmode.api;

import io.panicmode.contracts.Heartbeat;
import io.panicmode.runtime.StatusBoard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the api has heard on {@link io.panicmode.contracts.Addresses#HEARTBEAT}: the latest
 * heartbeat of each process (host, node), bounded to {@code maxProcesses} (the least recently
 * heard is forgotten first). Builds the health document and merges agents with what storage knows.
 * Used on the verticle's event loop only.
 */
final class FleetView {
  private record Seen(Heartbeat hb, long receivedAt) {}

  private final Map<String, Seen> byProcess = new LinkedHashMap<>(16, 0.75f, true);
  private final int maxProcesses;
  private final Duration staleAfter;

  FleetView(int maxProcesses, Duration staleAfter) {
    this.maxProcesses = maxProcesses;
    this.staleAfter = staleAfter;
  }

  void record(Heartbeat hb, long now) {
    byProcess.put(hb.host() + "/" + hb.node(), new Seen(hb, now));
    if (byProcess.size() > maxProcesses) {
      String eldest = byProcess.keySet().iterator().next();
      byProcess.remove(eldest);
    }
    // Processes gone for ten stale periods were decommissioned, not failing: forget them.
    byProcess.values().removeIf(s -> now - s.receivedAt() > 10 * staleAfter.toMillis());
  }

  int size() { return byProcess.size(); }

  /**
   * Health of this host: the local roles, merged with the roles other processes of this host
   * report; degraded when any role is degraded, when a process of this host fell silent, or when a
   * process elsewhere in the fleet reports a degraded role.
   */
  JsonObject health(String host, Map<String, String> localRoles, Map<String, String> localReasons, long uptimeSecs,
                    String version, long now) {
    Map<String, String> roles = new TreeMap<>(localRoles);
    JsonArray processes = new JsonArray();
    // Reasons also hold process-wide problems (a queue in memory, a role deployed twice).
    boolean degraded = localRoles.containsValue(StatusBoard.DEGRADED) || !localReasons.isEmpty();
    TreeSet<String> fleetDegraded = new TreeSet<>();
    TreeSet<String> hosts = new TreeSet<>();
    for (Seen s : byProcess.values()) {
      Heartbeat hb = s.hb();
      boolean stale = now - s.receivedAt() > staleAfter.toMillis();
      hosts.add(hb.host());
      if (hb.host().equals(host)) {
        processes.add(new JsonObject().put("node", hb.node()).put("roles", new JsonObject(new LinkedHashMap<>(hb.roles())))
            .put("lastSeen", s.receivedAt()).put("stale", stale));
        if (stale) degraded = true;
        if (!stale) {
          hb.roles().forEach((role, status) -> {
            if (!localRoles.containsKey(role)) roles.merge(role, status, FleetView::worse);
          });
        }
      } else if (!stale && hb.roles().containsValue(StatusBoard.DEGRADED)) {
        fleetDegraded.add(hb.host());
      }
    }
    if (roles.containsValue(StatusBoard.DEGRADED) || !fleetDegraded.isEmpty()) degraded = true;
    return new JsonObject().put("status", degraded ? StatusBoard.DEGRADED : StatusBoard.OK)
        .put("uptime_secs", uptimeSecs).put("version", version).put("host", host)
        .put("roles", new JsonObject(new LinkedHashMap<>(roles)))
        .put("reasons", new JsonObject(new LinkedHashMap<>(localReasons)))
        .put("processes", processes)
        .put("fleet", new JsonObject().put("hosts", hosts.size()).put("degraded", new JsonArray(new ArrayList<>(fleetDegraded))));
  }

  /**
   * One entry per host: roles merged over its processes, the newest summary, last seen, stale.
   * {@code stored} are storage's agent rows (possibly empty when storage is down); heartbeats heard
   * here win when newer.
   */
  JsonArray agents(JsonArray stored, String hostFilter, long now) {
    Map<String, JsonObject> processes = new LinkedHashMap<>();
    for (int i = 0; i < stored.size(); i++) {
      JsonObject row = stored.getJsonObject(i);
      processes.put(row.getString("host") + "/" + row.getString("node"), row);
    }
    for (Seen s : byProcess.values()) {
      Heartbeat hb = s.hb();
      if (hostFilter != null && !hostFilter.equals(hb.host())) continue;
      String key = hb.host() + "/" + hb.node();
      JsonObject known = processes.get(key);
      if (known == null || known.getLong("lastSeen", 0L) <= hb.ts()) {
        processes.put(key, new JsonObject().put("host", hb.host()).put("node", hb.node())
            .put("roles", new JsonObject(new LinkedHashMap<>(hb.roles()))).put("version", hb.version())
            .put("lastSeen", hb.ts()).put("uptimeSecs", hb.uptimeSecs())
            .put("summary", new JsonObject(new LinkedHashMap<>(hb.summary()))));
      }
    }
    Map<String, List<JsonObject>> byHost = new TreeMap<>();
    processes.values().forEach(p -> byHost.computeIfAbsent(p.getString("host"), h -> new ArrayList<>()).add(p));
    JsonArray out = new JsonArray();
    byHost.forEach((host, procs) -> {
      procs.sort(Comparator.comparingLong((JsonObject p) -> p.getLong("lastSeen")).reversed());
      Map<String, String> roles = new TreeMap<>();
      JsonObject summary = new JsonObject();
      for (JsonObject p : procs) {
        p.getJsonObject("roles").forEach(e -> roles.merge(e.getKey(), String.valueOf(e.getValue()), FleetView::worse));
        if (summary.isEmpty() && !p.getJsonObject("summary").isEmpty()) summary = p.getJsonObject("summary");
      }
      long lastSeen = procs.get(0).getLong("lastSeen");
      JsonArray nodes = new JsonArray();
      procs.forEach(p -> nodes.add(new JsonObject().put("node", p.getString("node")).put("lastSeen", p.getLong("lastSeen"))
          .put("version", p.getString("version")).put("roles", p.getJsonObject("roles"))));
      out.add(new JsonObject().put("host", host).put("roles", new JsonObject(new LinkedHashMap<>(roles)))
          .put("lastSeen", lastSeen).put("stale", now - lastSeen > staleAfter.toMillis())
          .put("version", procs.get(0).getString("version")).put("summary", summary).put("nodes", nodes));
    });
    return out;
  }

  private static String worse(String a, String b) {
    if (StatusBoard.DEGRADED.equals(a) || StatusBoard.DEGRADED.equals(b)) return StatusBoard.DEGRADED;
    if (StatusBoard.STARTING.equals(a) || StatusBoard.STARTING.equals(b)) return StatusBoard.STARTING;
    return a;
  }
}
