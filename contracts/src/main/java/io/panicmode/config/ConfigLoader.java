package io.panicmode.config;

import io.panicmode.contracts.HostId;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads, binds and validates a config file. Every error is reported, each with its key path.
 * Environment overrides, applied before validation:
 * {@code PANICMODE_BLOCK_IP_SCRIPT}, {@code PANICMODE_UNBLOCK_IP_SCRIPT}, {@code PANICMODE_CTL_SOCKET},
 * {@code PANICMODE_MASS_FREEZE_CONFIG}, {@code PANICMODE_HOST_ID}, {@code PANICMODE_ROLES},
 * {@code PANICMODE_CLUSTER_MEMBERS}, {@code PANICMODE_API_TOKEN} (only when no token is configured).
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Input limits, checked before parsing and the same for {@code validate}, {@code run} and reload
   * (they all come through here). A real config is a few KiB; 1 MiB leaves room for long whitelists
   * while a parse tree of that size stays well inside the daemon's small heap (4 MiB did not).
   */
  public static final int MAX_BYTES = 1024 * 1024;
  /** Deepest nesting of mappings and lists; the deepest real key path is under 10 levels. */
  public static final int MAX_DEPTH = 50;
  /** Most aliases ({@code *name}) to collections: a few shared anchors are fine, a "billion laughs" is not. */
  public static final int MAX_ALIASES = 50;

  public static PanicConfig load(Path file, Map<String, String> env) throws ConfigException {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) throw new ConfigException(file.toString(), List.of(tooLarge(size)));
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigError("(file)", "cannot read: " + e)));
    }
    return parse(text, file.toString(), env);
  }

  private static ConfigError tooLarge(long bytes) {
    return new ConfigError("(file)", bytes + " bytes is larger than the limit of " + MAX_BYTES + " bytes (1 MiB)");
  }

  public static PanicConfig parse(String yamlText, String source, Map<String, String> env) throws ConfigException {
    if (yamlText.length() > MAX_BYTES) throw new ConfigException(source, List.of(tooLarge(yamlText.length())));
    Object tree;
    try {
      tree = StrictYaml.load(yamlText);
    } catch (MarkedYAMLException e) {
      String where = e.getProblemMark() == null ? "(yaml)"
          : "(line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1) + ")";
      throw new ConfigException(source, List.of(new ConfigError(where, e.getProblem())));
    } catch (YAMLException e) {
      throw new ConfigException(source, List.of(new ConfigError("(yaml)", e.getMessage())));
    }
    if (tree == null) tree = new LinkedHashMap<String, Object>();
    if (!(tree instanceof Map<?, ?>)) {
      throw new ConfigException(source, List.of(new ConfigError("(root)", "expected a mapping of sections")));
    }
    return fromTree(tree, source, env);
  }

  @SuppressWarnings("unchecked")
  private static PanicConfig fromTree(Object tree, String source, Map<String, String> env) throws ConfigException {
    Map<String, Object> root = deepCopy(ConfigBinder.asMap(tree));
    applyEnv(root, env);
    ConfigBinder binder = new ConfigBinder();
    PanicConfig config = binder.bindRecord(PanicConfig.class, root, "");
    List<ConfigError> errors = new ArrayList<>(binder.errors());
    if (config != null) {
      for (ConfigError e : ConfigValidator.validate(config)) {
        if (!binder.underFailedKey(e.path())) errors.add(e);
      }
    }
    if (!errors.isEmpty()) throw new ConfigException(source, errors);
    return withResolvedHostId(config);
  }

  private static PanicConfig withResolvedHostId(PanicConfig c) {
    if (c.node().id() != null) return c;
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    return c.withNode(new NodeConfig(HostId.fromHostname(host), c.node().roles()));
  }

  private static void applyEnv(Map<String, Object> root, Map<String, String> env) {
    set(root, env.get("PANICMODE_BLOCK_IP_SCRIPT"), "firewall", "block_script");
    set(root, env.get("PANICMODE_UNBLOCK_IP_SCRIPT"), "firewall", "unblock_script");
    set(root, env.get("PANICMODE_CTL_SOCKET"), "firewall", "ctl_socket");
    set(root, env.get("PANICMODE_MASS_FREEZE_CONFIG"), "processes", "mass_freeze_file");
    set(root, env.get("PANICMODE_HOST_ID"), "node", "id");
    String roles = env.get("PANICMODE_ROLES");
    if (roles != null && !roles.isBlank()) set(root, splitList(roles), "node", "roles");
    String members = env.get("PANICMODE_CLUSTER_MEMBERS");
    if (members != null && !members.isBlank()) set(root, splitList(members), "cluster", "members");
    String token = env.get("PANICMODE_API_TOKEN");
    if (token != null && !token.isBlank()) {
      Map<String, Object> api = section(root, "http_api");
      if (api != null && api.get("token") == null) api.put("token", token);
    }
  }

  private static List<String> splitList(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static void set(Map<String, Object> root, Object value, String section, String key) {
    if (value == null || (value instanceof String s && s.isBlank())) return;
    Map<String, Object> m = section(root, section);
    if (m != null) m.put(key, value);
  }

  /** The named section as a mutable map, created when absent; null when it is not a mapping (the binder reports it). */
  private static Map<String, Object> section(Map<String, Object> root, String name) {
    Object s = root.get(name);
    if (s == null) {
      Map<String, Object> m = new LinkedHashMap<>();
      root.put(name, m);
      return m;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = s instanceof Map ? (Map<String, Object>) s : null; // deepCopy made every mapping mutable
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      Map<String, Object> sub = ConfigBinder.asMap(v);
      List<Object> list = ConfigBinder.asList(v);
      if (sub != null) out.put(k, deepCopy(sub));
      else if (list != null) out.put(k, list.stream().map(x -> {
        Map<String, Object> xm = ConfigBinder.asMap(x);
        return xm != null ? (Object) deepCopy(xm) : x;
      }).toList());
      else out.put(k, v);
    });
    return out;
  }
}
