package io.panicmode.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/openapi.yaml and the router the api verticle really serves describe the same operations:
 * every method and path the router registers is documented, and nothing documented is missing.
 */
class OpenApiMatchesRouterTest {
  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @TempDir Path dir;

  @Test
  void everyRoutedOperationIsDocumentedAndEveryDocumentedOneIsRouted() throws Exception {
    Set<String> documented = documented();
    Set<String> routed;
    try (ApiHarness h = new ApiHarness(dir, "token: " + ApiHarness.TOKEN)) {
      routed = routed(h.api);
    }
    assertFalse(routed.isEmpty(), "no routes read from the api router");
    assertEquals(documented, routed, "docs/openapi.yaml (expected) against the api router (actual)");
  }

  /** "GET /api/v1/blocks/:ip" for each operation in docs/openapi.yaml, {param} written the Vert.x way. */
  @SuppressWarnings("unchecked")
  private static Set<String> documented() throws Exception {
    Path spec = Path.of(System.getProperty("panicmode.root", ".."), "docs", "openapi.yaml");
    Map<String, Object> doc = new Yaml().load(Files.readString(spec));
    Set<String> ops = new TreeSet<>();
    for (var path : ((Map<String, Map<String, Object>>) doc.get("paths")).entrySet()) {
      String vertxPath = path.getKey().replaceAll("\\{([^}/]+)}", ":$1");
      for (String method : path.getValue().keySet()) {
        if (HTTP_METHODS.contains(method)) ops.add(method.toUpperCase() + " " + vertxPath);
      }
    }
    return ops;
  }

  /**
   * The routes with a method and a path, exact or with :parameters. Handlers on every request (no
   * method or no path), the "/api/*" body handling and the dashboard's static pages (a prefix, a
   * regex) are not operations.
   */
  private static Set<String> routed(ApiVerticle api) {
    Set<String> ops = new TreeSet<>();
    for (Route r : api.httpRouter().getRoutes()) {
      if (r.getPath() == null || r.methods() == null || r.methods().isEmpty()) continue;
      boolean prefix = !r.isExactPath() && !r.getPath().contains(":");
      if (prefix) continue;
      for (HttpMethod m : r.methods()) ops.add(m.name() + " " + r.getPath());
    }
    return ops;
  }
}
