package io.panicmode.launcher;

import io.panicmode.launcher.bridge.BridgeServerVerticle;

import io.panicmode.config.BridgeConfig;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.config.TlsConfig;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.storage.StorageVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A central node (real storage on a SQLite file, the bridge with mutual TLS on 127.0.0.1) in its
 * own Vert.x instance, and helpers for agents connecting to it with certificates from the
 * project's certs code. The central node can be stopped and started again on the same port and file.
 */
public final class BridgeRig implements AutoCloseable {
  public final Path dir;
  public final Path certs;
  public final int port;
  public final String password;
  public MetricsRegistry centralMetrics;
  public Vertx central;

  public BridgeRig(Path dir, Path certs) throws Exception {
    this.dir = dir;
    this.certs = certs;
    this.password = Files.readString(certs.resolve("password"), StandardCharsets.UTF_8).strip();
    this.port = PanicProcess.freePort();
  }

  public TlsConfig tls(String node) {
    return new TlsConfig(true, certs.resolve(node + ".p12").toString(), password, certs.resolve("truststore.p12").toString(),
        password);
  }

  public BridgeConfig serverConfig() {
    return new BridgeConfig(true, "127.0.0.1", port, null, tls("central"), java.time.Duration.ofSeconds(10), 4096);
  }

  public BridgeConfig agentConfig(String node) {
    return new BridgeConfig(false, "127.0.0.1", 0, "127.0.0.1:" + port, tls(node), java.time.Duration.ofSeconds(10), 4096);
  }

  /** Starts (or restarts) the central node: storage on {@code dir/central.db} and the bridge. */
  public void startCentral() throws Exception {
    PanicConfig cfg = ConfigLoader.parse("storage:\n  incident_db: " + dir.resolve("central.db") + "\n", "rig",
        Map.of());
    NodeContext ctx = NodeContext.local(cfg);
    centralMetrics = new MetricsRegistry();
    central = Vertx.vertx();
    await(central.deployVerticle(new StorageVerticle(ctx)));
    await(BridgeServerVerticle.deploy(central, serverConfig(), centralMetrics, 2));
  }

  public void stopCentral() throws Exception {
    await(central.close());
    central = null;
  }

  public static Incident incident(String id, String host) {
    return new Incident(id, host, "ssh", "auth", Severity.WARNING, Incident.State.FIRING, "test", "", 1, 1, Subjects.NONE,
        List.of(), System.currentTimeMillis(), null);
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (central != null) stopCentral();
  }
}
