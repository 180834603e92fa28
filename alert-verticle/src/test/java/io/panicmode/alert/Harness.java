package io.panicmode.alert;

import io.panicmode.runtime.Backoff;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builds configs from YAML, deploys the verticle, sends alert requests. */
final class Harness {
  private Harness() {}

  /** A config from YAML text plus the storage path under {@code dir}; node id "testhost". */
  static PanicConfig config(Path dir, String yaml) throws Exception {
    String full = "node:\n  id: testhost\nstorage:\n  incident_db: \"" + dir.resolve("incidents.db") + "\"\n" + yaml;
    return ConfigLoader.parse(full, "test.yaml", Map.of());
  }

  /** Short waits so failure tests finish quickly; stderr captured; fixed label. */
  static AlertTuning tuning(PrintStream stderr) {
    return AlertTuning.defaults()
        .withRetryBackoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)))
        .withOutboxBackoff(new Backoff(Duration.ofMillis(300), Duration.ofSeconds(1)))
        .withEnv(Map.of(ServerLabel.ENV, "test-server"))
        .withStderr(stderr);
  }

  /** A stream that keeps what is written, for stderr assertions. */
  static final class Captured {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }

  static String deploy(Vertx vertx, AlertVerticle v) throws Exception {
    return vertx.deployVerticle(v).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static void undeploy(Vertx vertx, String id) throws Exception {
    vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static JsonObject send(Vertx vertx, AlertRequest r) throws Exception {
    return (JsonObject) vertx.eventBus().request(Addresses.ALERTS, r.toJson(), new DeliveryOptions().setSendTimeout(10_000))
        .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS).body();
  }

  static Incident incident(String id, String rule, Severity sev, String details, List<String> ips) {
    return new Incident(id, "testhost", rule, "auth_failures", sev, Incident.State.FIRING,
        rule + " exceeded threshold: 97.3 > 80.0", details, 97.3, 80.0, Subjects.ofIps(ips),
        List.of(sev == Severity.CRITICAL ? "alert_critical" : "alert_warning"), 1_700_000_000_000L, null);
  }

  static AlertRequest request(String id, Severity sev) {
    return AlertRequest.of(incident(id, "high_cpu", sev, "top: java 97%", List.of()), System.currentTimeMillis());
  }

  static NodeContext ctx(PanicConfig c) { return NodeContext.local(c); }

  /** On the given clock (a {@code SteppedClock} lets a test step over a breaker's open duration). */
  static NodeContext ctx(PanicConfig c, java.time.Clock clock) {
    return new NodeContext(c, c.node().id(), clock, new io.panicmode.runtime.MetricsRegistry(),
        new io.panicmode.runtime.StatusBoard(), false, null, null, clock.millis(), "test");
  }
}
