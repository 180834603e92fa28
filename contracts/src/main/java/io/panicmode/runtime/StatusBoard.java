package io.panicmode.runtime;

import io.panicmode.contracts.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

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
  // Process-wide conditions beside the roles (a queue held in memory): name → problem, null when fine.
  private final Map<String, Supplier<String>> checks = new ConcurrentHashMap<>();
  private volatile Supplier<Map<String, Integer>> deploymentCounts = Map::of;

  /** Adds a condition read at every health request; {@code problem} returns null while all is well. */
  public void check(String name, Supplier<String> problem) { checks.put(name, problem); }

  public void removeCheck(String name) { checks.remove(name); }

  /** Where the number of running deployments of each local role comes from. */
  public void deploymentCounts(Supplier<Map<String, Integer>> counts) { deploymentCounts = counts; }

  /** role wire name → how many deployments of it are running here (exactly one when healthy). */
  public Map<String, Integer> deployments() { return new TreeMap<>(deploymentCounts.get()); }

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

  /**
   * role wire name → reason, for degraded roles; then each failing check by its name, and
   * {@code deployments} when a role runs in other than exactly one deployment.
   */
  public Map<String, String> reasons() {
    Map<String, String> out = new LinkedHashMap<>();
    roles.forEach((r, e) -> {
      if (e.status().equals(DEGRADED)) out.put(r.wire(), e.reason());
    });
    new TreeMap<>(checks).forEach((name, check) -> {
      String problem = check.get();
      if (problem != null) out.put(name, problem);
    });
    StringBuilder wrong = new StringBuilder();
    deployments().forEach((role, n) -> {
      if (n != 1) wrong.append(wrong.isEmpty() ? "" : "; ").append(role).append(" has ").append(n)
          .append(" deployments running, expected 1");
    });
    if (!wrong.isEmpty()) out.put("deployments", wrong.toString());
    return out;
  }
}
