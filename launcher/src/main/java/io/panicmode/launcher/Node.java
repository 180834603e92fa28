package io.panicmode.launcher;

import io.panicmode.api.ApiVerticle;
import io.panicmode.config.ConfigException;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.BridgeConfig;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.Role;
import io.panicmode.runtime.Backoff;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.ResultSigner;
import io.panicmode.runtime.ResultVerifier;
import io.panicmode.runtime.StatusBoard;
import io.panicmode.runtime.Version;
import io.panicmode.runtime.outbox.CentralLink;
import io.panicmode.launcher.bridge.BridgeClient;
import io.panicmode.launcher.bridge.BridgeServerVerticle;
import io.panicmode.launcher.fleet.StaleAgentVerticle;
import io.panicmode.runtime.selfcheck.SelfCheckVerticle;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PanicMode process: a Vert.x instance (local or clustered) running a set of roles.
 * Deploys roles in {@link Role} order, supervises them (a role that disappears is redeployed after
 * {@link #REDEPLOY}: 1 s, 2 s, 4 s … 60 s, each with jitter down to half; after 3 failures in a row
 * the process exits non-zero), reloads the config on request, and shuts down in reverse order.
 * It owns the process's {@link CentralLink} and hands it to every role in the {@link NodeContext}.
 */
final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  static final int MAX_FAILURES_IN_A_ROW = 3;
  private static final long STABLE_AFTER_MS = 60_000;
  private static final int EVENT_LOOPS = 2;
  static final Backoff REDEPLOY = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

  private final Vertx vertx;
  private final Path configPath;
  private final Map<String, String> env;
  private final Set<Role> roles;
  private final IntConsumer exit;
  private final BiFunction<Role, NodeContext, Deployable> verticles;
  /** A context outside every deployment: roles deployed from a verticle's context would become its children. */
  private final Context home;
  private volatile NodeContext ctx;
  private final Map<Role, String> deployments = new EnumMap<>(Role.class);
  private final Map<Role, Integer> failures = new EnumMap<>(Role.class);
  private final Map<Role, Long> deployedAt = new EnumMap<>(Role.class);
  // Every deployment made per role, so one that an undeploy failed to stop still counts on /health.
  private final Map<Role, Set<String>> deploymentIds = new EnumMap<>(Role.class);
  private final List<String> auxiliary = new ArrayList<>();
  private CentralLink centralLink;
  private BridgeClient bridgeClient;
  private volatile boolean stopping;
  /** True while a reload is being applied; written on the home context only. */
  private volatile boolean reloading;
  /** A reload arrived while one was being applied; written on the home context only. */
  private boolean reloadPending;
  private final java.util.concurrent.atomic.LongAdder reloadsApplied;

  private Node(Vertx vertx, NodeContext ctx, Path configPath, Map<String, String> env, Set<Role> roles, IntConsumer exit,
               BiFunction<Role, NodeContext, Deployable> verticles) {
    this.verticles = verticles;
    this.vertx = vertx;
    this.home = vertx.getOrCreateContext();
    this.ctx = ctx;
    this.configPath = configPath;
    this.env = env;
    this.roles = roles;
    this.exit = exit;
    this.reloadsApplied = ctx.metrics().counter("panicmode_config_reloads_total", "config reloads applied");
  }

  /** Starts Vert.x and every role; completes when all are ready. {@code exit} is called on a fatal failure. */
  static Future<Node> start(PanicConfig config, Path configPath, Map<String, String> env, Set<Role> roles,
                            IntConsumer exit) {
    return start(config, configPath, env, roles, exit, RoleVerticles::create);
  }

  /** As above, with the role → verticle mapping as a parameter (tests supply failing verticles). */
  static Future<Node> start(PanicConfig config, Path configPath, Map<String, String> env, Set<Role> roles,
                            IntConsumer exit, BiFunction<Role, NodeContext, Deployable> verticles) {
    boolean clustered = config.cluster().enabled();
    // Commands cross hosts on a cluster and over the bridge (central sends, agent verifies): there they are signed.
    boolean remoteCommands = clustered || config.central().bridge().isAgent() || config.central().bridge().listen();
    CommandSigner commandKey;
    CommandSigner operatorKey;
    ResultSigner resultSigner;
    ResultVerifier resultVerifier;
    try {
      // Only a host's detector (signs) and action verticle (verifies) hold its command key.
      boolean needsCommandKey = roles.contains(Role.DETECTOR) || roles.contains(Role.ACTION);
      commandKey = remoteCommands && (needsCommandKey || config.cluster().commandKeyFile() != null)
          ? readKey(config.cluster().commandKeyFile(), "cluster.command_key_file") : null;
      operatorKey = remoteCommands && config.cluster().operatorKeyFile() != null
          ? readKey(config.cluster().operatorKeyFile(), "cluster.operator_key_file") : null;
      // Only the action role signs results; the requesters (detector, api) hold the public keys.
      resultSigner = remoteCommands && roles.contains(Role.ACTION) && config.cluster().resultKeyFile() != null
          ? ResultSigner.fromFile(Path.of(config.cluster().resultKeyFile()), "cluster.result_key_file") : null;
      resultVerifier = remoteCommands && config.cluster().resultKeysDir() != null
          ? ResultVerifier.fromDirectory(Path.of(config.cluster().resultKeysDir()), "cluster.result_keys_dir") : null;
      if (config.central().bridge().isAgent()) checkCertificateNamesThisHost(config);
      if (remoteCommands && roles.contains(Role.ACTION) && resultSigner == null) {
        LOG.warn("cluster.result_key_file is not set: this host's action results are unsigned and requesters that "
            + "verify will count them as failed");
      }
      if (remoteCommands && (roles.contains(Role.DETECTOR) || roles.contains(Role.API)) && resultVerifier == null) {
        LOG.warn("cluster.result_keys_dir is not set: action results are accepted without verification");
      }
    } catch (IOException | IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Clock clock = Clock.systemUTC();
    NodeContext ctx = new NodeContext(config, config.node().id(), clock, new MetricsRegistry(), new StatusBoard(),
        remoteCommands, commandKey, operatorKey, resultSigner, resultVerifier, clock.millis(), Version.current(), null);
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setWorkerPoolSize(8).setInternalBlockingPoolSize(4);
    Future<Vertx> vertxFuture;
    if (clustered) {
      options.setEventBusOptions(ClusterSetup.eventBusOptions(config.cluster()));
      vertxFuture = Vertx.builder().with(options).withClusterManager(ClusterSetup.clusterManager(config.cluster()))
          .buildClustered();
    } else {
      vertxFuture = Future.succeededFuture(Vertx.builder().with(options).build());
    }
    return vertxFuture.compose(vertx -> {
      Node node = new Node(vertx, ctx, configPath, env, roles, exit, verticles);
      registerJvmGauges(ctx.metrics());
      // On failure the caller exits the process; closing Vert.x here would complete on a dead event loop.
      return node.deployAll().map(node);
    });
  }

  NodeContext context() { return ctx; }

  /** role → running deployments of it (ids no longer running are forgotten, so the sets stay small). */
  private Map<String, Integer> deploymentCounts() {
    Set<String> live = vertx.deploymentIDs();
    Map<String, Integer> out = new TreeMap<>();
    synchronized (deployments) {
      for (Role role : deployments.keySet()) out.put(role.wire(), 0);
      deploymentIds.forEach((role, ids) -> {
        ids.retainAll(live);
        if (!ids.isEmpty() || deployments.containsKey(role)) out.put(role.wire(), ids.size());
      });
    }
    return out;
  }

  /** The deployment id of a running role, or null. */
  String deploymentOf(Role role) {
    synchronized (deployments) {
      return deployments.get(role);
    }
  }

  Vertx vertx() { return vertx; }

  /** True while a reload is being applied (roles are being redeployed). */
  boolean reloadInProgress() { return reloading; }

  private Future<Void> deployAll() {
    String roleNames = String.join("+", roles.stream().map(Role::wire).toList());
    String nodeName = ctx.hostId() + "/" + roleNames + "/" + ProcessHandle.current().pid();
    Path outbox = ctx.config().fleet().outboxDb() != null ? Path.of(ctx.config().fleet().outboxDb())
        : Path.of(ctx.config().storage().incidentDb()).toAbsolutePath().resolveSibling("outbox-" + roleNames + ".db");
    BridgeConfig bridge = ctx.config().central().bridge();
    long ackTimeoutMs = bridge.isAgent() ? bridge.requestTimeout().toMillis() : 10_000;
    centralLink = new CentralLink(vertx, outbox, ctx.config().fleet().outboxMaxEntries(), ackTimeoutMs, ctx.metrics());
    // Every verticle of this process sends what it owes the alert and storage nodes through this one link.
    ctx = ctx.withCentral(centralLink);
    ctx.status().deploymentCounts(this::deploymentCounts);
    ctx.status().check("central_outbox", () -> centralLink.diskProblem() == null ? null
        : "central outbox in memory: " + centralLink.diskProblem() + " (" + centralLink.heldInMemory() + " held in memory)");
    if (bridge.isAgent()) {
      bridgeClient = new BridgeClient(vertx, ctx.hostId(), bridge, ctx.metrics());
      centralLink.useTransport(bridgeClient::request);
      if (roles.contains(Role.ACTION)) bridgeClient.serve(Addresses.action(ctx.hostId()));
      if (roles.contains(Role.ACTION) && ctx.config().fleet().shareBans()) {
        // Bans other hosts decided come from the central tier; this host's own go to it. Only our own host's
        // records leave (the central side refuses others anyway), and none that came from the central tier.
        bridgeClient.serve(Addresses.SHARED_BANS);
        vertx.eventBus().<Object>localConsumer(Addresses.SHARED_BANS, m -> {
          if (m.headers().contains(BridgeClient.FROM_CENTRAL)) return;
          if (m.body() instanceof io.vertx.core.json.JsonObject rec && ctx.hostId().equals(rec.getValue("host"))) {
            bridgeClient.publish(Addresses.SHARED_BANS, rec);
          }
        });
      }
      bridgeClient.start();
      // Live views on the central tier: this host's heartbeats and incidents, best effort (storage gets them via the outbox).
      vertx.eventBus().<io.vertx.core.json.JsonObject>localConsumer(Addresses.HEARTBEAT,
          m -> bridgeClient.publish(Addresses.HEARTBEAT, m.body()));
      vertx.eventBus().<io.vertx.core.json.JsonObject>localConsumer(Addresses.INCIDENTS,
          m -> bridgeClient.publish(Addresses.INCIDENTS, m.body()));
    }
    Future<Void> chain = centralLink.start()
        .recover(err -> Future.failedFuture(new IllegalStateException("outbox " + outbox + ": " + err.getMessage(), err)))
        .compose(v -> vertx.deployVerticle(new SelfCheckVerticle(ctx))).map(id -> {
      auxiliary.add(id);
      return null;
    });
    for (Role role : Role.values()) {
      if (!roles.contains(role)) continue;
      chain = chain.compose(v -> deploy(role));
    }
    if (roles.contains(Role.STORAGE)) {
      // The node that stores for the fleet also notices agents that went quiet.
      chain = chain.compose(v -> vertx.deployVerticle(new StaleAgentVerticle(ctx))).map(id -> {
        auxiliary.add(id);
        return null;
      });
    }
    if (bridge.listen()) {
      chain = chain.compose(v -> BridgeServerVerticle.deploy(vertx, bridge, ctx.metrics(), EVENT_LOOPS)).map(id -> {
        LOG.info("bridge for agents listening on {}:{} (mutual TLS)", bridge.bind(), bridge.port());
        auxiliary.add(id);
        return null;
      });
    }
    return chain
        .compose(v -> vertx.deployVerticle(new HeartbeatVerticle(ctx, nodeName)))
        .map(id -> {
          auxiliary.add(id);
          vertx.setPeriodic(1000, t -> supervise());
          return null;
        });
  }

  private Future<Void> deploy(Role role) {
    if (role == Role.API && !ctx.config().httpApi().enabled()) {
      // Still deployed: it serves panicmode ctl on the local socket.
      LOG.info("role api: http_api.enabled is false, so only the local ctl socket is served");
    }
    ctx.status().starting(role);
    long t0 = System.nanoTime();
    Deployable verticle = verticles.apply(role, ctx);
    if (verticle instanceof ApiVerticle api) api.setReloadHandler(this::reload);
    return vertx.deployVerticle(verticle).map(id -> {
      synchronized (deployments) {
        deployments.put(role, id);
        deployedAt.put(role, System.currentTimeMillis());
        deploymentIds.computeIfAbsent(role, r -> new HashSet<>()).add(id);
      }
      // A role whose start completed is ready; it may already have reported itself degraded.
      if (StatusBoard.STARTING.equals(ctx.status().snapshot().get(role.wire()))) ctx.status().ok(role);
      LOG.info("role {} ready in {} ms", role.wire(), (System.nanoTime() - t0) / 1_000_000);
      return (Void) null;
    }).onFailure(err -> ctx.status().degraded(role, String.valueOf(err.getMessage())))
        .recover(err -> Future.failedFuture(new IllegalStateException("role " + role.wire() + " failed to start: "
            + err.getMessage(), err)));
  }

  /** Redeploys roles whose deployment has disappeared; exits after too many failures in a row. */
  private void supervise() {
    if (stopping || reloading) return;
    Set<String> live = vertx.deploymentIDs();
    long now = System.currentTimeMillis();
    synchronized (deployments) {
      for (Map.Entry<Role, String> e : new ArrayList<>(deployments.entrySet())) {
        Role role = e.getKey();
        if (e.getValue() == null) continue;
        if (live.contains(e.getValue())) {
          if (now - deployedAt.getOrDefault(role, now) > STABLE_AFTER_MS) failures.put(role, 0);
          continue;
        }
        deployments.put(role, null);
        onRoleFailure(role, "stopped unexpectedly");
      }
    }
  }

  private void onRoleFailure(Role role, String reason) {
    int n = failures.merge(role, 1, Integer::sum);
    ctx.status().degraded(role, reason);
    if (n >= MAX_FAILURES_IN_A_ROW) {
      LOG.error("role {} failed {} times in a row ({}); exiting so the service manager restarts PanicMode",
          role.wire(), n, reason);
      exit.accept(2);
      return;
    }
    long delay = REDEPLOY.delay(n - 1, ThreadLocalRandom.current()).toMillis();
    LOG.warn("role {} {}; redeploying in {} ms (failure {} of {})", role.wire(), reason, delay, n,
        MAX_FAILURES_IN_A_ROW);
    vertx.setTimer(delay, t -> {
      if (stopping) return;
      deploy(role).onFailure(err -> onRoleFailure(role, String.valueOf(err.getMessage())));
    });
  }

  /**
   * Re-reads the config file with the same strict loader, limits and validation as {@code run}. An
   * invalid one changes nothing: the future carries its errors. A valid one completes the future with
   * no errors at once and is then applied by redeploying each role with it, in order (the api, which
   * may have asked, answers before it is redeployed). Reloads are serialized: one that arrives while
   * another is being applied is coalesced into a single further pass that re-reads the file, so
   * however many arrive together, every role ends with exactly one deployment running the newest file.
   */
  Future<List<String>> reload() {
    return loadConfig().transform(ar -> {
      if (ar.failed()) {
        List<String> errors = errorsOf(ar.cause());
        LOG.error("config reload rejected, keeping the running config:\n  {}", String.join("\n  ", errors));
        return Future.succeededFuture(errors);
      }
      home.runOnContext(x -> requestApply());
      return Future.succeededFuture(List.<String>of());
    });
  }

  private Future<PanicConfig> loadConfig() {
    return vertx.executeBlocking(() -> ConfigLoader.load(configPath, env), false);
  }

  private static List<String> errorsOf(Throwable err) {
    return err instanceof ConfigException ce
        ? ce.errors().stream().map(Object::toString).toList() : List.of(String.valueOf(err.getMessage()));
  }

  /** On the home context: starts applying, or marks one more pass if a reload is being applied. */
  private void requestApply() {
    if (reloading) {
      reloadPending = true;
      return;
    }
    reloading = true;
    // A short pause lets the api answer the request that asked for this reload before it is redeployed.
    vertx.setTimer(50, t -> home.runOnContext(x -> applyLatest()));
  }

  /** On the home context: applies the file as it is now, then runs one more pass if asked meanwhile. */
  private void applyLatest() {
    reloadPending = false;
    LOG.info("config reload: applying {}", configPath);
    loadConfig().compose(next -> {
      if (!next.cluster().equals(ctx.config().cluster()) || !next.node().equals(ctx.config().node())) {
        LOG.warn("config reload: changes to cluster: and node: take effect at the next restart");
      }
      String warning = LoggingSetup.apply(next.logging(), next.storage().logDir());
      if (warning != null) LOG.warn(warning);
      return redeployAll(next);
    }).onComplete(done -> home.runOnContext(x -> {
      if (done.succeeded()) {
        reloadsApplied.increment();
        LOG.info("config reloaded from {}", configPath);
      } else if (done.cause() instanceof ConfigException) {
        LOG.error("config reload rejected, keeping the running config:\n  {}",
            String.join("\n  ", errorsOf(done.cause())));
      } else {
        LOG.error("config reload: a role failed to restart: {}", done.cause().getMessage());
      }
      if (reloadPending) applyLatest();
      else reloading = false;
    }));
  }

  private Future<Void> redeployAll(PanicConfig next) {
    List<Role> running = runningRoles();
    Future<Void> chain = undeployAll(running).map(v -> {
      ctx = ctx.withConfig(next);
      return null;
    });
    for (Role role : running) chain = chain.compose(v -> deploy(role));
    return chain;
  }

  private List<Role> runningRoles() {
    synchronized (deployments) {
      return new ArrayList<>(new TreeSet<>(deployments.keySet()));
    }
  }

  /** Undeploys {@code roles} (in start order) in reverse order: intake stops first. */
  private Future<Void> undeployAll(List<Role> roles) {
    List<Role> reverse = new ArrayList<>(roles);
    java.util.Collections.reverse(reverse);
    Future<Void> chain = Future.succeededFuture();
    for (Role role : reverse) chain = chain.compose(v -> undeploy(role));
    return chain;
  }

  private Future<Void> undeploy(Role role) {
    String id;
    synchronized (deployments) {
      id = deployments.remove(role);
    }
    ctx.status().remove(role);
    if (id == null || !vertx.deploymentIDs().contains(id)) return Future.succeededFuture();
    return vertx.undeploy(id).recover(err -> {
      LOG.warn("role {} did not stop cleanly: {}", role.wire(), err.getMessage());
      return Future.succeededFuture();
    });
  }

  /** Stops intake first (roles in reverse start order), then closes Vert.x. */
  Future<Void> stop() {
    stopping = true;
    Promise<Void> done = Promise.promise();
    undeployAll(runningRoles()).compose(v -> centralLink == null ? Future.succeededFuture() : centralLink.stop())
        .compose(v -> bridgeClient == null ? Future.succeededFuture() : bridgeClient.close())
        .onComplete(ar -> vertx.close().onComplete(c -> done.complete()));
    return done.future();
  }

  /**
   * The central bridge holds an agent to the host id its certificate names, so an agent whose
   * node.id differs would have everything it sends refused: refuse to start instead.
   */
  private static void checkCertificateNamesThisHost(PanicConfig config) throws IOException {
    String certified;
    try {
      certified = BridgeClient.certifiedHost(config.central().bridge().tls());
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("central.bridge.tls.key_store: cannot read " + config.central().bridge().tls().keyStore()
          + ": " + e.getMessage(), e);
    }
    if (!config.node().id().equals(certified)) {
      throw new IllegalArgumentException("central.bridge.tls.key_store: its certificate names host "
          + (certified == null ? "none (the CN is not a valid host id)" : "\"" + certified + "\"") + " but node.id is \""
          + config.node().id() + "\"; the central bridge would refuse everything this agent sends. Issue a certificate "
          + "for this host with `panicmode certs issue " + config.node().id() + "`, or set node.id to the certificate's name");
    }
  }

  private static CommandSigner readKey(String file, String key) throws IOException {
    if (file == null) {
      throw new IllegalArgumentException(key + " is required for the detector and action roles when cluster.enabled is true"
          + " or central.bridge.connect is set");
    }
    String text = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      bytes = text.getBytes(StandardCharsets.UTF_8);
    }
    if (bytes.length < 16) throw new IllegalArgumentException(key + ": key in " + file + " is shorter than 16 bytes");
    return new CommandSigner(bytes);
  }

  private static void registerJvmGauges(MetricsRegistry m) {
    var mem = ManagementFactory.getMemoryMXBean();
    m.gauge("panicmode_jvm_heap_used_bytes", "JVM heap in use", () -> mem.getHeapMemoryUsage().getUsed());
    m.gauge("panicmode_jvm_nonheap_used_bytes", "JVM non-heap memory in use", () -> mem.getNonHeapMemoryUsage().getUsed());
    m.gauge("panicmode_jvm_threads", "JVM live threads", () -> ManagementFactory.getThreadMXBean().getThreadCount());
  }
}
