package io.panicmode.runtime;

import io.panicmode.contracts.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Status of each role running in this process: {@code starting}, {@code ok} or {@code degraded}
 * with a reason. Verticles report here; health and heartbeats read it.
 */
public final class StatusBoard {
  public static final String STARTING = "starting";
  public static final String OK = "ok";
  public static final String DEGRADED = "degraded";

  private record Entry(String status, String reason) {}

  private final Map<Role, Entry> roles = new ConcurrentHashMap<>();

  public void starting(Role r) { roles.put(r, new Entry(STARTING, "")); }

  public void ok(Role r) { roles.put(r, new Entry(OK, "")); }

  public void degraded(Role r, String reason) { roles.put(r, new Entry(DEGRADED, reason == null ? "" : reason)); }

  public void remove(Role r) { roles.remove(r); }

  /** role wire name → status. */
  public Map<String, String> snapshot() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Role r : Role.values()) {
      Entry e = roles.get(r);
      if (e != null) out.put(r.wire(), e.status());
    }
    return out;
  }

  /** role wire name → reason, for degraded roles only. */
  public Map<String, String> reasons() {
    Map<String, String> out = new LinkedHashMap<>();
    roles.forEach((r, e) -> {
      if (e.status().equals(DEGRADED)) out.put(r.wire(), e.reason());
    });
    return out;
  }
}
