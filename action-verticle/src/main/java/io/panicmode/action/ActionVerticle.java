package io.panicmode.action;

import io.panicmode.action.exec.HookRunner;
import io.panicmode.action.exec.Snapshotter;
import io.panicmode.action.firewall.BanPolicy;
import io.panicmode.action.firewall.BlockLedger;
import io.panicmode.action.firewall.BlockService;
import io.panicmode.action.firewall.DryRunFirewall;
import io.panicmode.action.firewall.Firewall;
import io.panicmode.action.firewall.IpPolicy;
import io.panicmode.action.firewall.NftFirewall;
import io.panicmode.action.firewall.ScriptFirewall;
import io.panicmode.action.process.FreezeRegistry;
import io.panicmode.action.process.MassFreezeConfig;
import io.panicmode.action.process.ProcessActions;
import io.panicmode.action.process.Protection;
import io.panicmode.action.process.Signaller;
import io.panicmode.config.ActionKind;
import io.panicmode.config.CircuitBreakerConfig;
import io.panicmode.config.FirewallConfig;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.Role;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.net.IpSet;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.sqlite.SqliteStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The action role, the only part of PanicMode that runs as root. It consumes
 * {@link ActionCommand}s on {@code panicmode.action.<this host>} and replies with an
 * {@link ActionResult} to every one of them (done, failed or skipped, with the reason). Commands
 * pass the {@link CommandGate} (closed set of ops, own host only, fields re-validated, signature,
 * freshness and replay checks on a clustered bus), then the op's {@link ActionGuard} (breaker and
 * concurrency limit), then one of the plain action classes: {@link BlockService} (bans, expiry,
 * restore, rate limits), {@link ProcessActions}, {@link Snapshotter}, {@link HookRunner}.
 * Blocking work runs on a worker pool of its own.
 */
public final class ActionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ActionVerticle.class);
  private static final int WORKERS = 8;
  private static final Duration COMMAND_MAX_AGE = Duration.ofSeconds(120);
  /** The /health entry that names the block ledger while it is held in memory. */
  static final String LEDGER_CHECK = "block_ledger";
  /** Beside the block ledger, in the action role's data dir. */
  static final String SEEN_COMMANDS_FILE = "seen_commands";
  /** Often enough that a foreign consumer of the action address is reported well within 10 s. */
  private static final long CONSUMER_CHECK_MS = 2_000;
  /** Waits before the retries of a ban that failed for a retryable reason (a busy nft, a script's transient error). */
  private static final List<Duration> BAN_RETRY_DELAYS = List.of(Duration.ofMillis(250), Duration.ofSeconds(1));

  private final NodeContext ctx;
  private final HostEnv env;
  private final Map<String, ActionGuard> guards = new HashMap<>();
  private final Map<ActionKind, Function<Command, Future<Outcome>>> registry = new EnumMap<>(ActionKind.class);
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private MessageConsumer<Object> commandConsumer;
  private final List<Long> timers = new ArrayList<>();

  private WorkerExecutor workers;
  private Offload offload;
  private CommandGate gate;
  /** Null in local mode (commands are unsigned) and when the file could not be opened. */
  private SeenCommandLog seenLog;
  /** The last replay-memory write failure reported, so a failing disk is logged once, not per command. */
  private String replayProblem;
  private RoleHealth health;
  private BlockService blocks;
  private StorageReporter storage;
  private BlockLedger ledger;
  private ProcessActions processes;
  private IpPolicy policy;
  private Snapshotter snapshotter;
  private final HookRunner hooks = new HookRunner();
  private LongAdder malformed;
  private LongAdder sharedApplied;
  private LongAdder sharedIgnored;
  private LongAdder sharedDropped;
  /** Shared bans being applied; beyond MAX_SHARED_IN_FLIGHT new ones are dropped (a peer flood must not queue without bound). */
  private int sharedInFlight;
  private static final int MAX_SHARED_IN_FLIGHT = 256;

  /** A command that passed the gate, with its parsed op. */
  private record Command(ActionCommand cmd, ActionKind.Named op) {}

  /** What start() prepares on a worker before anything is registered. */
  private record Prepared(MassFreezeConfig massFreeze, IpPolicy policy, Map<String, Integer> users,
                          SeenCommandLog seenLog, String seenProblem) {}

  public ActionVerticle(NodeContext ctx) {
    this(ctx, HostEnv.real());
  }

  public ActionVerticle(NodeContext ctx, HostEnv env) {
    this.ctx = ctx;
    this.env = env;
  }

  @Override
  public Future<?> start() {
    ctx.status().starting(Role.ACTION);
    health = new RoleHealth(ctx.status(), Role.ACTION);
    PanicConfig cfg = ctx.config();
    workers = vertx.createSharedWorkerExecutor("panicmode-action-" + ctx.hostId(), WORKERS);
    offload = new Offload() {
      @Override
      public <T> Future<T> run(java.util.concurrent.Callable<T> work) {
        return workers.executeBlocking(work, false);
      }
    };
    malformed = ctx.metrics().counter("panicmode_action_rejected_total", "Action commands rejected before execution",
        "reason", "malformed");
    sharedApplied = ctx.metrics().counter("panicmode_action_shared_bans_total", "Bans shared by other hosts", "result", "applied");
    sharedIgnored = ctx.metrics().counter("panicmode_action_shared_bans_total", "Bans shared by other hosts", "result", "ignored");
    sharedDropped = ctx.metrics().counter("panicmode_action_shared_bans_total", "Bans shared by other hosts", "result", "dropped");
    gate = new CommandGate(ctx.hostId(), ctx.clustered(), ctx.commandKey(), ctx.operatorKey(), ctx.clock(), COMMAND_MAX_AGE,
        100_000);
    return openLedger(cfg).compose(l -> {
      ledger = l;
      return offload.run(this::prepare);
    }).compose(p -> {
      policy = p.policy();
      seenLog = p.seenLog();
      if (seenLog != null) gate.remember(seenLog.remembered());
      health.set("replay", p.seenProblem());
      FirewallConfig fw = cfg.firewall();
      Firewall firewall = firewall(fw, cfg.circuitBreakers());
      storage = new StorageReporter(vertx, ctx);
      blocks = new BlockService(ctx.hostId(), fw.enabled(), firewall, p.policy(),
          new BanPolicy(fw.banDuration(), fw.banGrowthFactor(), fw.banMaxDuration()), ledger, offload, ctx.clock(),
          storage, this::shareBan, cfg.circuitBreakers().maxConcurrency(), (ms, task) -> vertx.setTimer(ms, t -> task.run()), BAN_RETRY_DELAYS,
          this::ledgerHealth, ctx.metrics());
      FreezeRegistry frozen = new FreezeRegistry();
      ctx.metrics().gauge("panicmode_action_frozen_processes", "Processes frozen by this host", frozen::size);
      processes = new ProcessActions(env.processes(), new Signaller(env.processes(), env.killPath()),
          new Protection(ProcessHandle.current().pid()), p.massFreeze(), cfg.processes().dryRun(), p.users(),
          env.cpuSampleInterval(), ctx.clock(), frozen);
      snapshotter = new Snapshotter(Path.of(cfg.storage().snapshotDir()), cfg.storage().snapshotKeep(),
          cfg.storage().snapshotMaxAge(), ctx.clock(), Duration.ofSeconds(5), 1 << 20);
      registerActions(cfg);
      if (!fw.enabled()) {
        LOG.info("firewall.enabled is false: no ban, unban or rate limit will be applied");
        return Future.succeededFuture();
      }
      return offload.run(() -> {
        firewall.init();
        return null;
      }).compose(v -> blocks.restore(fw.restoreOnStartup()).mapEmpty())
          .recover(e -> {
            // The host still gets process actions, snapshots and hooks; say loudly that bans are not in force.
            LOG.error("firewall backend {} not ready: {}", firewall.name(), e.getMessage());
            health.set("firewall", "firewall " + firewall.name() + ": " + e.getMessage());
            return Future.succeededFuture();
          });
    }).compose(v -> {
      commandConsumer = vertx.eventBus().consumer(Addresses.action(ctx.hostId()), this::onCommand);
      consumers.add(commandConsumer);
      List<Future<Void>> ready = new ArrayList<>(List.of(commandConsumer.completion()));
      if (cfg.fleet().shareBans()) {
        MessageConsumer<Object> shared = vertx.eventBus().consumer(Addresses.SHARED_BANS, this::onSharedBan);
        consumers.add(shared);
        ready.add(shared.completion());
      }
      if (ctx.clustered() && vertx instanceof VertxInternal vi && vi.clusterManager() != null) {
        SoleConsumerWatch watch = new SoleConsumerWatch(vertx, context, ctx, vi.clusterManager(), this::registerCommandsAgain,
            problem -> health.set("consumers", problem));
        timers.add(vertx.setPeriodic(CONSUMER_CHECK_MS, t -> watch.check()));
      }
      timers.add(vertx.setPeriodic(1000, t -> blocks.expireDue()
          .onFailure(e -> LOG.warn("ban expiry sweep failed: {}", e.getMessage()))));
      timers.add(vertx.setPeriodic(1000, t -> offload.run(processes::thawDue)
          .onFailure(e -> LOG.warn("automatic thaw failed: {}", e.getMessage()))));
      // Interface addresses can change while we run; a freshly acquired one must not become bannable.
      timers.add(vertx.setPeriodic(60_000, t -> offload.run(() -> {
        policy.interfaceAddresses(env.ownAddresses().get());
        return null;
      })));
      return Future.all(ready);
    }).onSuccess(v -> {
      health.started();
    }).onFailure(e -> {
      LOG.error("action verticle failed to start: {}", e.getMessage());
      health.set("start", "start failed: " + e.getMessage());
      timers.forEach(vertx::cancelTimer);
      if (seenLog != null) {
        try {
          seenLog.close();
        } catch (IOException suppressed) {
          LOG.warn("closing the replay memory: {}", suppressed.getMessage());
        }
      }
      ctx.status().removeCheck(LEDGER_CHECK);
      // Closing waits for the ledger's last commit: on a worker, never on this event loop.
      Future<Void> ledgerClosed = ledger == null ? Future.succeededFuture() : offload.run(() -> {
        ledger.close();
        return null;
      });
      ledgerClosed.onComplete(ar -> {
        if (ar.failed()) LOG.warn("closing the block ledger: {}", ar.cause().getMessage());
        workers.close();
      });
    });
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    List<Future<Void>> closing = new ArrayList<>();
    consumers.forEach(c -> closing.add(c.unregister()));
    // Frozen processes would stay stopped with nobody left to thaw them.
    Future<Object> thawed = processes == null || processes.frozen().size() == 0 ? Future.succeededFuture()
        : offload.run(() -> processes.thaw(List.of()));
    return Future.all(closing).transform(ar -> thawed.transform(t -> offload.run(() -> {
      if (seenLog != null) seenLog.close();
      if (ledger != null) ledger.close();
      return null;
    }))).onComplete(ar -> {
      if (workers != null) workers.close();
      ctx.status().remove(Role.ACTION);
      ctx.status().removeCheck(LEDGER_CHECK);
    });
  }

  private Prepared prepare() throws Exception {
    PanicConfig cfg = ctx.config();
    Path mfFile = Path.of(cfg.processes().massFreezeFile() != null ? cfg.processes().massFreezeFile()
        : "/etc/panicmode/mass_freeze.yaml");
    MassFreezeConfig mf;
    try {
      mf = MassFreezeConfig.load(mfFile);
    } catch (MassFreezeConfig.InvalidException e) {
      throw new IllegalStateException("invalid mass_freeze.yaml: " + e.getMessage(), e);
    }
    IpSet whitelist = IpSet.parse(cfg.firewall().whitelist());
    List<String> protectedAddrs = new ArrayList<>();
    protectedAddrs.add(cfg.cluster().bind());
    for (String m : cfg.cluster().members()) protectedAddrs.add(hostOf(m));
    Map<String, Integer> users;
    try {
      users = ProcessActions.parsePasswd(Files.readString(env.passwd(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      users = Map.of();
    }
    IpPolicy ipPolicy = new IpPolicy(whitelist, protectedAddrs, cfg.firewall().banPrivateNetworks());
    ipPolicy.interfaceAddresses(env.ownAddresses().get());
    // Signed commands carry a timestamp; their ids must be remembered across restarts for as long as
    // they could pass the freshness check. Without a writable file the gate still refuses replays in memory.
    SeenCommandLog seen = null;
    String seenProblem = null;
    if (ctx.clustered()) {
      Path seenFile = ledgerFile(cfg).resolveSibling(SEEN_COMMANDS_FILE);
      try {
        seen = SeenCommandLog.open(seenFile, ctx.clock(), 2 * COMMAND_MAX_AGE.toMillis());
      } catch (IOException | RuntimeException e) {
        seenProblem = replayMemoryProblem(seenFile, e);
        LOG.error(seenProblem);
      }
    }
    return new Prepared(mf, ipPolicy, users, seen, seenProblem);
  }

  /** "host:port", "[v6]:port" or a bare host → the host part. */
  static String hostOf(String member) {
    if (member.startsWith("[")) {
      int end = member.indexOf(']');
      return end > 0 ? member.substring(1, end) : member;
    }
    int colon = member.indexOf(':');
    return colon >= 0 && colon == member.lastIndexOf(':') ? member.substring(0, colon) : member;
  }

  private Firewall firewall(FirewallConfig fw, CircuitBreakerConfig cb) {
    return switch (fw.backend()) {
      case SCRIPT -> new ScriptFirewall(fw.blockScript(), fw.unblockScript(), fw.rateLimitScript(), cb.timeout(), 16);
      case NFT -> new NftFirewall(env.nftCommand(), fw.nftTable(), fw.rateLimitPerMinute(), cb.timeout());
      case DRY_RUN -> new DryRunFirewall();
    };
  }

  /**
   * The explicit registry: one line per executed action of {@link ActionKind}. A row of the table
   * without a line here stops the role at start, so a new action cannot be half added.
   */
  private void registerActions(PanicConfig cfg) {
    registry.put(ActionKind.BLOCK_IP, c -> blocks.block(c.cmd().ips(), banRequest(c.cmd())));
    registry.put(ActionKind.UNBLOCK_IP, c -> blocks.unblock(c.cmd().ips(), c.cmd().id(), c.cmd().issuedBy(), c.cmd().reason()));
    registry.put(ActionKind.RATE_LIMIT, c -> blocks.rateLimit(c.cmd().ips(), banRequest(c.cmd())));
    registry.put(ActionKind.FREEZE_TOP_PROCESS, c -> offload.run(() -> processes.freezeTop(c.cmd().processes())));
    registry.put(ActionKind.MASS_FREEZE, c -> offload.run(processes::massFreeze));
    registry.put(ActionKind.MASS_FREEZE_TOP, c -> offload.run(processes::massFreezeTop));
    registry.put(ActionKind.MASS_FREEZE_CLUSTER, c -> offload.run(() -> processes.massFreezeCluster(c.op().arg())));
    registry.put(ActionKind.KILL_PROCESS, c -> offload.run(() -> processes.kill(c.cmd().processes())));
    registry.put(ActionKind.THAW, c -> offload.run(() -> processes.thaw(c.cmd().processes())));
    registry.put(ActionKind.SNAPSHOT, c -> offload.run(() -> {
      Path file = snapshotter.take(c.cmd().incident());
      return Outcome.done(List.of(file.toString()), "");
    }));
    registry.put(ActionKind.RUN_SCRIPT, c -> {
      String key = ActionKind.hookFor(c.op().arg(), cfg.actions());
      if (key == null) {
        return Future.succeededFuture(Outcome.badInput(c.op().arg().isEmpty()
            ? "run_script without a hook key, and no hook keyed run_script nor a single hook under actions:"
            : "no hook \"" + c.op().arg() + "\" under actions:"));
      }
      return offload.run(() -> hooks.run(key, cfg.actions().get(key), c.cmd().incident()));
    });
    for (ActionKind k : ActionKind.values()) {
      if (k.executed() && !registry.containsKey(k)) throw new IllegalStateException("no handler registered for " + k.wire());
    }
  }

  private static BlockService.BanRequest banRequest(ActionCommand c) {
    String reason = !c.reason().isEmpty() ? c.reason() : c.incident() != null ? c.incident().description() : c.op();
    return new BlockService.BanRequest(c.id(), c.durationSecs(), reason, c.incident() == null ? null : c.incident().id(), false);
  }

  private ActionGuard guard(ActionKind.Named op) {
    return guards.computeIfAbsent(op.name(), n -> {
      CircuitBreakerConfig cb = ctx.config().circuitBreakers();
      // Hooks and snapshots may run longer than the breaker timeout: the table says how long.
      Duration timeout = op.kind().timeout(op.arg(), ctx.config());
      // Bans limit their backend calls themselves (max_concurrency batches at once): every waiting
      // ban must reach BlockService to be applied together with the others.
      if (op.kind() == ActionKind.BLOCK_IP) {
        cb = new CircuitBreakerConfig(cb.maxFailures(), cb.failureWindow(), cb.openDuration(), cb.maxQueued(), cb.timeout(),
            cb.maxQueued());
      }
      return new ActionGuard(vertx, n, cb, timeout, ctx.clock(), ctx.metrics());
    });
  }

  private void onCommand(Message<Object> msg) {
    ActionCommand cmd;
    if (!(msg.body() instanceof JsonObject body)) {
      malformed.increment();
      reply(msg, result("", "", ActionResult.Status.FAILED, "rejected: body is not a JSON object", List.of()));
      return;
    }
    try {
      cmd = ActionCommand.fromJson(body);
    } catch (MessageFormatException | ClassCastException | IllegalArgumentException e) {
      malformed.increment();
      String id = body.getValue("id") instanceof String s ? CommandGate.printable(s) : "";
      String op = body.getValue("op") instanceof String s ? CommandGate.printable(s) : "";
      reply(msg, result(id, op, ActionResult.Status.FAILED, "rejected: malformed command: " + e.getMessage(), List.of()));
      return;
    }
    var parsed = ActionKind.parseCommand(cmd.op(), cmd.target());
    var rejection = gate.check(cmd, parsed);
    if (rejection.isPresent()) {
      ctx.metrics().counter("panicmode_action_rejected_total", "Action commands rejected before execution",
          "reason", rejection.get().label()).increment();
      LOG.warn("rejected action command {} ({}): {}", CommandGate.printable(cmd.id()), rejection.get().label(),
          rejection.get().reason());
      reply(msg, result(cmd.id(), cmd.op(), ActionResult.Status.FAILED, "rejected: " + rejection.get().reason(), List.of()));
      return;
    }
    Command c = new Command(cmd, parsed.get());
    Future<Outcome> run = remembered(cmd).compose(v -> guard(c.op()).call(() -> registry.get(c.op().kind()).apply(c)));
    run.onComplete(ar -> {
      Outcome o = ar.succeeded() ? ar.result() : Outcome.failed(String.valueOf(ar.cause()), true);
      ctx.metrics().counter("panicmode_action_commands_total", "Action commands handled", "op", c.op().kind().wire(),
          "status", o.status().wire()).increment();
      if (o.status() != ActionResult.Status.DONE) LOG.info("{} {}: {} ({})", c.op().name(), cmd.id(), o.status().wire(), o.reason());
      ActionResult result = signed(new ActionResult(cmd.id(), ctx.hostId(), cmd.op(), o.status(), o.reason(), o.retryable(),
          o.affected(), ctx.clock().millis()));
      msg.reply(result.toJson());
      // Each command's outcome is kept with the incident's history (command ids start with the incident id).
      storage.send(StorageWrite.actionResult(result));
    });
  }

  private static Path ledgerFile(PanicConfig cfg) {
    return Path.of(cfg.storage().incidentDb()).toAbsolutePath().resolveSibling("block_ledger.db");
  }

  /**
   * Opens the block ledger on this event loop (its blocking calls come later from workers). A file
   * that cannot be written leaves it in memory: bans go on, /health says so until it is back on disk.
   */
  private Future<BlockLedger> openLedger(PanicConfig cfg) {
    Path file = ledgerFile(cfg);
    return BlockLedger.open(vertx, file, ctx.metrics(), new SqliteStore.Listener() {
      @Override
      public void inMemory(String reason) {
        health.set("ledger", "block ledger held in memory (" + reason + "); bans kept in memory only until " + file
            + " can be written");
      }

      @Override
      public void backOnDisk() {
        LOG.info("block ledger writable again; the bans held in memory are in its file");
        health.set("ledger", null);
      }
    }).onSuccess(l -> ctx.status().check(LEDGER_CHECK, l::healthProblem));
  }

  /** A fresh registration first, then the old one dropped: the address never has no consumer on this node. */
  private Future<Void> registerCommandsAgain() {
    MessageConsumer<Object> old = commandConsumer;
    commandConsumer = vertx.eventBus().consumer(Addresses.action(ctx.hostId()), this::onCommand);
    consumers.remove(old);
    consumers.add(commandConsumer);
    return commandConsumer.completion().compose(v -> old.unregister());
  }

  /**
   * Persists the accepted id before the command runs. A failed write does not stop the command (the
   * gate already refuses replays in memory) but /health says a restart would forget it.
   */
  private Future<Void> remembered(ActionCommand cmd) {
    if (seenLog == null) return Future.succeededFuture();
    SeenCommandLog log = seenLog;
    return offload.<Void>run(() -> {
      log.append(cmd.id(), cmd.issuedAt());
      return null;
    }).recover(e -> {
      ctx.metrics().counter("panicmode_action_replay_log_failures_total",
          "Accepted command ids that could not be persisted for replay protection").increment();
      String problem = replayMemoryProblem(seenFile(), e);
      if (!problem.equals(replayProblem)) {
        replayProblem = problem;
        LOG.error(problem);
        health.set("replay", problem);
      }
      return Future.succeededFuture();
    });
  }

  private Path seenFile() {
    return Path.of(ctx.config().storage().incidentDb()).toAbsolutePath().resolveSibling(SEEN_COMMANDS_FILE);
  }

  private static String replayMemoryProblem(Path file, Throwable e) {
    return "replay memory " + file + " not writable (" + e.getMessage()
        + "); accepted command ids are kept in memory only, so a replay after a restart is not refused";
  }

  /** The ledger's state on /health: bans go on either way, but an operator must know history is at risk. */
  private void ledgerHealth(String problem) {
    health.set("ledger_writes", problem == null ? null : problem + "; bans in force are kept in memory and still expire");
  }

  private void reply(Message<Object> msg, ActionResult r) {
    msg.reply(signed(r).toJson());
  }

  /** Signed with this host's result key when it has one, so requesters can tell our answers from a forger's. */
  private ActionResult signed(ActionResult r) {
    return ctx.resultSigner() == null ? r : ctx.resultSigner().sign(r);
  }

  private ActionResult result(String id, String op, ActionResult.Status status, String reason, List<String> affected) {
    return new ActionResult(id, ctx.hostId(), op, status, reason, false, affected, ctx.clock().millis());
  }

  private void shareBan(BlockRecord rec) {
    if (ctx.config().fleet().shareBans()) vertx.eventBus().publish(Addresses.SHARED_BANS, rec.toJson());
  }

  /** A ban decided by another host: applied under this host's own policy and whitelist, and never passed on. */
  private void onSharedBan(Message<Object> msg) {
    BlockRecord rec;
    try {
      if (!(msg.body() instanceof JsonObject body)) throw new MessageFormatException("not a JSON object");
      rec = BlockRecord.fromJson(body);
    } catch (MessageFormatException | ClassCastException e) {
      sharedIgnored.increment();
      return;
    }
    if (rec.host().equals(ctx.hostId())) return;
    long now = ctx.clock().millis();
    if (rec.expiresAt() != null && rec.expiresAt() <= now) {
      sharedIgnored.increment();
      return;
    }
    if (sharedInFlight >= MAX_SHARED_IN_FLIGHT) {
      sharedDropped.increment();
      return;
    }
    long secs = rec.expiresAt() == null ? 0 : Math.max(1, (rec.expiresAt() - now) / 1000);
    String reason = "shared by " + rec.host() + ": " + CommandGate.printable(rec.reason());
    sharedInFlight++;
    blocks.block(List.of(rec.ip()), new BlockService.BanRequest("shared-" + rec.host() + "-" + rec.blockedAt(), secs, reason,
        rec.incidentId(), true)).onComplete(ar -> {
          sharedInFlight--;
          if (ar.succeeded() && ar.result().status() == ActionResult.Status.DONE) sharedApplied.increment();
          else sharedIgnored.increment();
        });
  }
}
