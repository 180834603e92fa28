package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.panicmode.config.ConfigException;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's deployment files as the tests see them: files by path from the repository
 * root, YAML documents as plain maps, and the facts every deployment must agree on (the JVM
 * flags of bin/panicmode, the env names PanicMode reads, the port plan).
 */
final class Repo {
  private Repo() {}

  /** The one uid/gid the image gives user panicmode; compose, k8s and nftables name it. */
  static final int PANICMODE_UID = 10001;

  /** The fixed port plan: Hazelcast and event-bus port per process kind. */
  static final Map<String, List<Integer>> PORTS = Map.of(
      "action", List.of(5701, 5801),
      "sensor", List.of(5702, 5802),
      "central", List.of(5703, 5803));

  /** Which roles each process kind runs. */
  static final Map<String, Set<String>> ROLES = Map.of(
      "action", Set.of("action"),
      "sensor", Set.of("collector", "detector"),
      "central", Set.of("alert", "storage", "api"));

  /**
   * The fleet's two tiers (docker-compose.yml, k8s/): an agent process per host that is no cluster
   * member, and the central process; they meet only on the bridge.
   */
  static final Map<String, Set<String>> TIER_ROLES = Map.of(
      "agent", Set.of("collector", "detector", "action"),
      "central", Set.of("alert", "storage", "api"));

  static final String TLS_PASSWORD_PLACEHOLDER = "CHANGE_ME_TLS_PASSWORD";

  private static Path root;

  static synchronized Path root() {
    if (root == null) {
      Path p = Path.of("").toAbsolutePath();
      while (p != null && !(Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("launcher")))) {
        p = p.getParent();
      }
      assertNotNull(p, "repository root (pom.xml next to launcher/) not found above " + Path.of("").toAbsolutePath());
      root = p;
    }
    return root;
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  static String read(String relative) {
    Path p = path(relative);
    assertTrue(Files.isRegularFile(p), relative + " is missing");
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> list(String dir, String suffix) {
    try (Stream<Path> s = Files.list(path(dir))) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a (possibly multi-document) YAML file, nulls from empty documents dropped. */
  static List<Map<String, Object>> yamlDocuments(String text) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object o : new Yaml().loadAll(text)) {
      if (o != null) docs.add(map(o, "document"));
    }
    return docs;
  }

  static Map<String, Object> yaml(String relative) {
    List<Map<String, Object>> docs = yamlDocuments(read(relative));
    assertTrue(docs.size() == 1, relative + ": expected one YAML document, got " + docs.size());
    return docs.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    if (!(o instanceof Map<?, ?>)) fail(what + ": expected a mapping, got " + o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o, String what) {
    if (o == null) return List.of();
    if (!(o instanceof List<?>)) fail(what + ": expected a list, got " + o);
    return (List<Object>) o;
  }

  /** Follows a path of keys; null when any step is absent. */
  static Object at(Map<String, Object> m, String... keys) {
    Object cur = m;
    for (String k : keys) {
      if (!(cur instanceof Map<?, ?> mm)) return null;
      cur = mm.get(k);
    }
    return cur;
  }

  static PanicConfig parseConfig(String yamlText, String source) {
    try {
      return ConfigLoader.parse(yamlText, source, Map.of());
    } catch (ConfigException e) {
      return fail(source + " does not validate: " + e.errors());
    }
  }

  static PanicConfig config(String relative) {
    return parseConfig(read(relative), relative);
  }

  /** The JVM flags bin/panicmode uses when PANICMODE_JVM_OPTS is unset. */
  static List<String> defaultJvmFlags() {
    Matcher m = Pattern.compile("(?s)\\ndefaults=\"(.*?)\"").matcher(read("bin/panicmode"));
    assertTrue(m.find(), "bin/panicmode: no defaults=\"...\" line");
    return words(m.group(1).replace("\\\n", " "));
  }

  /** The flags for a clustered process: the defaults with the smaller heap. */
  static List<String> clusteredJvmFlags() {
    return defaultJvmFlags().stream().map(f -> f.startsWith("-Xmx") ? "-Xmx48m" : f).toList();
  }

  static List<String> words(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  private static Set<String> envNames;

  /**
   * Every PANICMODE_* name that PanicMode's own code or scripts mention: the sources of every
   * module, bin/ and packaging/bin/. A deployment that sets any other name sets nothing.
   */
  static synchronized Set<String> envNamesPanicModeReads() {
    if (envNames == null) {
      Set<String> names = new TreeSet<>();
      Pattern env = Pattern.compile("PANICMODE_[A-Z0-9_]+");
      List<Path> roots = new ArrayList<>();
      try (Stream<Path> modules = Files.list(root())) {
        modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).forEach(roots::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      roots.add(path("bin"));
      roots.add(path("packaging/bin"));
      for (Path r : roots) {
        if (!Files.isDirectory(r)) continue;
        try (Stream<Path> files = Files.walk(r)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            Matcher m = env.matcher(Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) names.add(m.group());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      envNames = names;
    }
    return envNames;
  }

  /** The value of an option in an argument list ({@code --config FILE}), or null. */
  static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }

  static Set<String> rolesArg(List<String> args) {
    String r = option(args, "--roles");
    assertNotNull(r, "no --roles in " + args);
    return new LinkedHashSet<>(Arrays.asList(r.split(",")));
  }

  static List<String> strings(Object o, String what) {
    return list(o, what).stream().map(String::valueOf).toList();
  }

  /** The port of a host:port string. */
  static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }
}
