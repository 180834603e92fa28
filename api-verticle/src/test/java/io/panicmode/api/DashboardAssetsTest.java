package io.panicmode.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard comes from the jar only, and every file is revalidated on each load so an
 * upgrade shows at once.
 */
class DashboardAssetsTest {
  @TempDir Path dir;

  @Test
  void aWebrootInTheWorkingDirectoryDoesNotReplaceTheDashboard() throws Exception {
    Path cwdWebroot = Path.of("webroot").toAbsolutePath();
    Assumptions.assumeFalse(Files.exists(cwdWebroot), "skipped: " + cwdWebroot + " already exists, not touching it");
    String shipped;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("webroot/index.html")) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      Files.createDirectories(cwdWebroot);
      Files.writeString(cwdWebroot.resolve("index.html"), "<h1>planted</h1>");
      Files.writeString(cwdWebroot.resolve("evil.js"), "alert(1)");
      try (ApiHarness h = new ApiHarness(dir, "token: " + ApiHarness.TOKEN)) {
        HttpResponse<String> page = h.get("/");
        assertEquals(200, page.statusCode());
        assertEquals(shipped, page.body());
        assertFalse(page.body().contains("planted"));
        assertEquals(shipped, h.get("/index.html").body());
        assertEquals(404, h.get("/evil.js").statusCode());
      }
    } finally {
      Files.deleteIfExists(cwdWebroot.resolve("index.html"));
      Files.deleteIfExists(cwdWebroot.resolve("evil.js"));
      Files.deleteIfExists(cwdWebroot);
    }
  }

  @Test
  void everyDashboardFileIsRevalidatedNotCachedForADay() throws Exception {
    try (ApiHarness h = new ApiHarness(dir, "token: " + ApiHarness.TOKEN)) {
      for (String path : new String[] {"/", "/index.html", "/app.js", "/app.css"}) {
        HttpResponse<String> r = h.get(path);
        assertEquals(200, r.statusCode(), path);
        assertEquals("no-cache", r.headers().firstValue("cache-control").orElse(null), path);
        String etag = r.headers().firstValue("etag").orElse(null);
        assertNotNull(etag, path + " has no ETag");
        HttpResponse<String> again = h.http.send(HttpRequest.newBuilder(URI.create(h.base + path))
            .timeout(Duration.ofSeconds(20)).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode(), path);
        assertTrue(again.body().isEmpty(), path);
      }
      assertTrue(h.get("/").headers().firstValue("content-type").orElse("").startsWith("text/html"));
      assertTrue(h.get("/app.js").headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
    }
  }

  @Test
  void theDashboardReadsTheActionTableFromTheApiNotFromACopy() throws Exception {
    try (ApiHarness h = new ApiHarness(dir, "token: " + ApiHarness.TOKEN)) {
      HttpResponse<String> r = h.get("/api/v1/actions");
      assertEquals(200, r.statusCode());
      io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonObject(r.body()).getJsonArray("items");
      assertEquals(io.panicmode.config.ActionKind.values().length, items.size());
      assertTrue(items.stream().map(io.vertx.core.json.JsonObject.class::cast)
          .anyMatch(a -> a.getString("name").equals("mass_freeze_cluster") && a.getBoolean("freezes")), r.body());
      String app = h.get("/app.js").body();
      assertFalse(app.contains("'mass_freeze_top'"), "app.js keeps no list of action names");
      assertTrue(app.contains("API + '/actions'"));
    }
  }
}
