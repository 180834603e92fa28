package io.panicmode.bench.storage;

import io.panicmode.api.ApiVerticle;
import io.panicmode.runtime.NodeContext;
import io.panicmode.storage.Database;
import io.panicmode.storage.StorageVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;

/**
 * {@code GET /api/v1/incidents} latency with a large incidents table (default 1,000,000 rows over
 * 200 hosts and 30 days), through the api verticle, the event bus and the storage verticle's
 * reader. Baseline in the same run: {@code GET /health} (same HTTP path, no database).
 * Args: dir [rows=1000000] [requests per scenario=2000]
 */
public final class IncidentQueryBench {
  private IncidentQueryBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    Path db = dir.resolve("query.db");
    long now = System.currentTimeMillis();
    long t0 = System.nanoTime();
    fill(db, rows, now);
    System.out.printf(Locale.ROOT, "filled %,d rows in %.1f s (%,d bytes)%n", rows, (System.nanoTime() - t0) / 1e9, Files.size(db));

    int port = BenchSupport.freePort();
    NodeContext ctx = NodeContext.local(BenchSupport.config(db, port));
    Vertx vertx = Vertx.vertx();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      BenchSupport.await(vertx.deployVerticle(new StorageVerticle(ctx)));
      BenchSupport.await(vertx.deployVerticle(new ApiVerticle(ctx)));
      String base = "http://127.0.0.1:" + port;
      String[][] scenarios = {
          {"baseline GET /health", "/health"},
          {"newest page (limit 50)", "/api/v1/incidents?limit=50"},
          {"host filter", "/api/v1/incidents?host=agent-042&limit=50"},
          {"host + since 1d", "/api/v1/incidents?host=agent-042&since=1d&limit=50"},
          {"severity + rule", "/api/v1/incidents?severity=critical&rule=ssh_brute_force&limit=50"},
          {"rule + until 20d ago", "/api/v1/incidents?rule=disk_full&until=20d&limit=50"},
      };
      for (int i = 0; i < 300; i++) get(http, base + scenarios[i % scenarios.length][1]);
      double baseP99 = 0;
      for (String[] s : scenarios) {
        double[] p = measure(http, base + s[1], requests);
        if (baseP99 == 0) baseP99 = p[1];
        System.out.printf(Locale.ROOT, "%-28s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  p99/baseline %5.1fx%n", s[0], p[0], p[1], p[2],
            p[1] / baseP99);
      }
      // Keyset paging: page 20 of one host costs what page 1 costs.
      long[] deep = new long[requests / 10];
      for (int r = 0; r < deep.length; r++) {
        String url = base + "/api/v1/incidents?host=agent-007&limit=50";
        String cursor = null;
        for (int page = 0; page < 20; page++) {
          String body = get(http, cursor == null ? url : url + "&cursor=" + cursor);
          String next = new JsonObject(body).getString("next");
          if (next == null) break;
          cursor = next;
        }
        long start = System.nanoTime();
        get(http, cursor == null ? url : url + "&cursor=" + cursor);
        deep[r] = System.nanoTime() - start;
      }
      double[] p = BenchSupport.percentiles(deep);
      System.out.printf(Locale.ROOT, "%-28s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  p99/baseline %5.1fx%n", "host, page 21", p[0], p[1],
          p[2], p[1] / baseP99);
    } finally {
      BenchSupport.await(vertx.close());
    }
  }

  private static double[] measure(HttpClient http, String url, int n) throws Exception {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      get(http, url);
      t[i] = System.nanoTime() - start;
    }
    return BenchSupport.percentiles(t);
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
    return r.body();
  }

  /** Schema through the real migrations, then rows in big transactions (this is set-up, not the measurement). */
  private static void fill(Path db, int rows, long now) throws Exception {
    Files.deleteIfExists(db);
    try (Connection c = Database.openWriter(db, "bench-host"); Statement s = c.createStatement();
         PreparedStatement p = c.prepareStatement("""
             INSERT INTO incidents (incident_id, host, rule, monitor_type, severity, state, description, details,
               current_value, threshold, subjects, actions, fired_at, resolved_at, updated_at)
             VALUES (?, ?, ?, 'cpu_usage', ?, ?, ?, ?, 97.3, 80.0, ?, '["alert_critical"]', ?, ?, ?)""")) {
      s.execute("PRAGMA synchronous = OFF");
      long span = 30L * 86_400_000L;
      java.util.Random rnd = new java.util.Random(42);
      s.execute("BEGIN IMMEDIATE");
      for (int i = 0; i < rows; i++) {
        var inc = BenchSupport.incident("q-" + i, "agent-" + String.format(Locale.ROOT, "%03d", rnd.nextInt(200)), rnd.nextInt(1000),
            now - span + (span * i / rows));
        p.setString(1, inc.id());
        p.setString(2, inc.host());
        p.setString(3, inc.rule());
        p.setString(4, inc.severity().wire());
        boolean resolved = i % 4 != 0;
        p.setString(5, resolved ? "resolved" : "firing");
        p.setString(6, inc.description());
        p.setString(7, inc.details());
        p.setString(8, inc.subjects().toJson().encode());
        p.setLong(9, inc.firedAt());
        if (resolved) p.setLong(10, inc.firedAt() + 60_000); else p.setNull(10, java.sql.Types.INTEGER);
        p.setLong(11, inc.firedAt());
        p.addBatch();
        if (i % 50_000 == 49_999) {
          p.executeBatch();
          s.execute("COMMIT");
          s.execute("BEGIN IMMEDIATE");
        }
      }
      p.executeBatch();
      s.execute("COMMIT");
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      s.execute("ANALYZE");
    }
  }
}
