package io.panicmode.action.process;

import io.panicmode.config.Durations;
import io.panicmode.config.StrictYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * mass_freeze.yaml: which processes freeze actions pick and how. Every key is checked; an unknown
 * key or a bad value is an error naming the key path, and the verticle refuses to start with it
 * (a silently ignored file would leave an admin believing a cluster or whitelist is in force).
 * An absent file means the defaults.
 *
 * <pre>
 * top_cpu: {count: 5, min_cpu_to_freeze: 50.0}
 * whitelist: [nginx, "postgres*"]        # name patterns never frozen by freeze_top_process / mass_freeze
 * clusters:
 *   builds: {names: ["cc1*", make], users: [builder, "1001"], cgroups: [/system.slice/ci.service]}
 * freeze_timeout: 10m                     # absent: frozen until thawed
 * max_processes_to_freeze: 100
 * dry_run: false
 * </pre>
 *
 * @param clusters name → selectors; a process belongs when any selector matches
 */
public record MassFreezeConfig(int topCount, double minCpuToFreeze, List<String> whitelist, Map<String, Cluster> clusters,
                               Duration freezeTimeout, int maxProcessesToFreeze, boolean dryRun) {

  /** A named group: comm patterns, users (names or numeric uids) and cgroup path prefixes. */
  public record Cluster(List<String> names, List<String> users, List<String> cgroups) {}

  public static final MassFreezeConfig DEFAULTS = new MassFreezeConfig(5, 50.0, List.of(), Map.of(), null, 100, false);

  /** A bad mass_freeze.yaml, with every problem found. */
  public static final class InvalidException extends Exception {
    public InvalidException(String message) { super(message); }
  }

  private static final List<String> TOP_KEYS = List.of("top_cpu", "whitelist", "clusters", "freeze_timeout",
      "max_processes_to_freeze", "dry_run");

  public static MassFreezeConfig load(Path file) throws InvalidException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return DEFAULTS;
    } catch (IOException e) {
      throw new InvalidException(file + ": cannot read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  public static MassFreezeConfig parse(String yamlText, String source) throws InvalidException {
    List<String> errors = new ArrayList<>();
    Object tree;
    try {
      tree = StrictYaml.load(yamlText);
    } catch (RuntimeException e) {
      throw new InvalidException(source + ": not valid YAML: " + e.getMessage());
    }
    if (tree == null) return DEFAULTS;
    if (!(tree instanceof Map<?, ?> root)) throw new InvalidException(source + ": expected a mapping at the top level");
    for (Object k : root.keySet()) {
      if (!TOP_KEYS.contains(String.valueOf(k))) errors.add(k + ": unknown key (expected one of " + TOP_KEYS + ")");
    }
    int count = DEFAULTS.topCount();
    double minCpu = DEFAULTS.minCpuToFreeze();
    Object top = root.get("top_cpu");
    if (top != null) {
      if (top instanceof Map<?, ?> t) {
        for (Object k : t.keySet()) {
          if (!Set.of("count", "min_cpu_to_freeze").contains(String.valueOf(k))) errors.add("top_cpu." + k + ": unknown key");
        }
        if (t.containsKey("count")) {
          if (t.get("count") instanceof Integer i && i >= 1 && i <= 10_000) count = i;
          else errors.add("top_cpu.count: expected an integer from 1 to 10000, got " + t.get("count"));
        }
        if (t.containsKey("min_cpu_to_freeze")) {
          if (t.get("min_cpu_to_freeze") instanceof Number n && n.doubleValue() >= 0 && Double.isFinite(n.doubleValue())) {
            minCpu = n.doubleValue();
          } else {
            errors.add("top_cpu.min_cpu_to_freeze: expected a number >= 0, got " + t.get("min_cpu_to_freeze"));
          }
        }
      } else {
        errors.add("top_cpu: expected a mapping");
      }
    }
    List<String> whitelist = patterns("whitelist", root.get("whitelist"), errors);
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    Object cl = root.get("clusters");
    if (cl != null) {
      if (cl instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          String name = String.valueOf(e.getKey());
          String p = "clusters." + name;
          if (!name.matches("[A-Za-z0-9_-]{1,64}")) errors.add(p + ": cluster names are letters, digits, '_' and '-'");
          if (!(e.getValue() instanceof Map<?, ?> c)) {
            errors.add(p + ": expected a mapping with names, users and/or cgroups");
            continue;
          }
          for (Object k : c.keySet()) {
            if (!Set.of("names", "users", "cgroups").contains(String.valueOf(k))) errors.add(p + "." + k + ": unknown key");
          }
          Cluster cluster = new Cluster(patterns(p + ".names", c.get("names"), errors),
              patterns(p + ".users", c.get("users"), errors), patterns(p + ".cgroups", c.get("cgroups"), errors));
          if (cluster.names().isEmpty() && cluster.users().isEmpty() && cluster.cgroups().isEmpty()) {
            errors.add(p + ": needs at least one of names, users, cgroups");
          }
          for (String cg : cluster.cgroups()) {
            if (!cg.startsWith("/")) errors.add(p + ".cgroups: \"" + cg + "\" must be an absolute cgroup path");
          }
          clusters.put(name, cluster);
        }
      } else {
        errors.add("clusters: expected a mapping of cluster name to selectors");
      }
    }
    Duration timeout = null;
    Object ft = root.get("freeze_timeout");
    if (ft != null) {
      try {
        timeout = Durations.parse(String.valueOf(ft));
        if (timeout.isZero() || timeout.isNegative()) errors.add("freeze_timeout: must be positive");
      } catch (RuntimeException e) {
        errors.add("freeze_timeout: " + e.getMessage());
      }
    }
    int max = DEFAULTS.maxProcessesToFreeze();
    if (root.containsKey("max_processes_to_freeze")) {
      if (root.get("max_processes_to_freeze") instanceof Integer i && i >= 1) max = i;
      else errors.add("max_processes_to_freeze: expected an integer >= 1, got " + root.get("max_processes_to_freeze"));
    }
    boolean dry = false;
    if (root.containsKey("dry_run")) {
      if (root.get("dry_run") instanceof Boolean b) dry = b;
      else errors.add("dry_run: expected true or false, got " + root.get("dry_run"));
    }
    if (!errors.isEmpty()) throw new InvalidException(source + ": " + String.join("; ", errors));
    return new MassFreezeConfig(count, minCpu, whitelist, clusters, timeout, max, dry);
  }

  private static List<String> patterns(String path, Object v, List<String> errors) {
    List<String> out = new ArrayList<>();
    if (v == null) return out;
    if (!(v instanceof List<?> l)) {
      errors.add(path + ": expected a list");
      return out;
    }
    for (int i = 0; i < l.size(); i++) {
      Object o = l.get(i);
      if (o instanceof Map<?, ?> || o instanceof List<?>) {
        // Never turned into text: an aliased structure can expand to millions of elements.
        errors.add(path + "[" + i + "]: expected text, got a " + (o instanceof Map<?, ?> ? "mapping" : "list"));
        continue;
      }
      String s = o == null ? "" : String.valueOf(o);
      if (s.isEmpty() || s.length() > 256 || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        errors.add(path + "[" + i + "]: expected non-empty printable ASCII text of at most 256 characters");
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
