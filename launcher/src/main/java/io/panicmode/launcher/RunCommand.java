package io.panicmode.launcher;

import io.panicmode.api.ctl.DefaultConfig;
import io.panicmode.config.ConfigError;
import io.panicmode.config.ConfigException;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Role;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code panicmode run}: loads and validates the config before anything starts, starts the roles,
 * and handles signals: SIGTERM and SIGINT stop gracefully and exit 0 (within 10 s), SIGHUP
 * reloads the config ({@link ReloadSignal}, which warns when SIGHUP was inherited as ignored).
 */
final class RunCommand {
  private RunCommand() {}

  /** Returned when the process keeps running after {@code main} returns. */
  static final int RUNNING = -1;
  private static final long SHUTDOWN_BUDGET_MS = 9_000;
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  /** Held for the life of the process; the kernel releases it when the process ends. */
  private static DataDirLock dataDirLock;

  static int run(String[] args, Map<String, String> env, PrintStream err) {
    Path config = null;
    String rolesArg = null;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config", "-c" -> {
          if (++i >= args.length) return Main.usage(err, "--config needs a file");
          config = Path.of(args[i]);
        }
        case "--roles" -> {
          if (++i >= args.length) return Main.usage(err, "--roles needs a list");
          rolesArg = args[i];
        }
        case "--cluster" -> cluster = true;
        default -> {
          if (args[i].startsWith("-") || config != null) return Main.usage(err, "unexpected argument \"" + args[i] + "\"");
          config = Path.of(args[i]);
        }
      }
    }
    if (config == null) config = DefaultConfig.find(env);
    PanicConfig cfg;
    try {
      cfg = ConfigLoader.load(config, env);
    } catch (ConfigException e) {
      err.println("Error: " + config + " is not valid (" + e.errors().size() + " error(s)):");
      for (ConfigError error : e.errors()) err.println("  " + error);
      return 1;
    }
    Set<Role> roles;
    try {
      roles = roles(rolesArg != null ? List.of(rolesArg.split(",")) : cfg.node().roles());
    } catch (IllegalArgumentException e) {
      err.println("Error: --roles: " + e.getMessage());
      return 2;
    }
    if (cluster && !cfg.cluster().enabled()) cfg = cfg.withCluster(cfg.cluster().withEnabled(true));
    Path dataDir = Path.of(cfg.storage().incidentDb()).toAbsolutePath().getParent();
    try {
      dataDirLock = DataDirLock.acquire(dataDir, roles);
    } catch (IOException | IllegalStateException e) {
      err.println("Error: " + e.getMessage());
      return 1;
    }

    String warning = LoggingSetup.apply(cfg.logging(), cfg.storage().logDir());
    if (warning != null) LOG.warn(warning);
    LOG.info("PanicMode {} starting on host {} with roles {} ({} event bus), config {}",
        io.panicmode.runtime.Version.current(), cfg.node().id(), roles.stream().map(Role::wire).toList(),
        cfg.cluster().enabled() ? "clustered" : "local", config);
    long t0 = System.nanoTime();
    // SIGHUP is taken from before the roles start: /health can say ok a moment before start()
    // returns, and a HUP in that gap would otherwise hit the JVM's default (exit). One that
    // arrives during start is applied once started.
    AtomicReference<Node> running = new AtomicReference<>();
    AtomicBoolean reloadDuringStart = new AtomicBoolean();
    ReloadSignal.install(() -> {
      Node n = running.get();
      if (n != null) {
        n.reload();
        return;
      }
      reloadDuringStart.set(true);
      Node late = running.get(); // started meanwhile: whichever side clears the flag reloads
      if (late != null && reloadDuringStart.compareAndSet(true, false)) late.reload();
    });
    CountDownLatch started = new CountDownLatch(1);
    Node[] holder = new Node[1];
    Throwable[] failure = new Throwable[1];
    Node.start(cfg, config, env, roles, RunCommand::exitNow).onComplete(ar -> {
      if (ar.succeeded()) holder[0] = ar.result();
      else failure[0] = ar.cause();
      started.countDown();
    });
    try {
      if (!started.await(120, TimeUnit.SECONDS)) {
        err.println("Error: PanicMode did not start within 120 s");
        return 1;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    if (failure[0] != null) {
      LOG.error("start failed: {}", failure[0].getMessage());
      err.println("Error: " + failure[0].getMessage());
      return 1;
    }
    Node node = holder[0];
    LOG.info("PanicMode ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
    installSignals(node);
    running.set(node);
    if (reloadDuringStart.compareAndSet(true, false)) {
      LOG.info("SIGHUP arrived during start: reloading now");
      node.reload();
    }
    return RUNNING;
  }

  private static void installSignals(Node node) {
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable shutdown = () -> {
      if (!stopping.compareAndSet(false, true)) return;
      LOG.info("stopping");
      Thread watchdog = new Thread(() -> {
        try {
          Thread.sleep(SHUTDOWN_BUDGET_MS);
          LOG.warn("shutdown took longer than {} ms; exiting anyway", SHUTDOWN_BUDGET_MS);
          Runtime.getRuntime().halt(0);
        } catch (InterruptedException ignored) {
          // stopped in time
        }
      }, "shutdown-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
      node.stop().onComplete(ar -> {
        LOG.info("stopped");
        releaseDataDirLock();
        exitNow(0);
      });
    };
    Signal.handle(new Signal("TERM"), s -> shutdown.run());
    Signal.handle(new Signal("INT"), s -> shutdown.run());
  }

  private static void releaseDataDirLock() {
    if (dataDirLock == null) return;
    try {
      dataDirLock.close();
    } catch (IOException e) {
      LOG.warn("could not release the data dir lock: {}", e.toString());
    }
  }

  /** Exits from a thread of its own, so that exiting from an event-loop thread cannot deadlock. */
  static void exitNow(int code) {
    Thread t = new Thread(() -> System.exit(code), "exit");
    t.start();
  }

  static Set<Role> roles(List<String> names) {
    if (names.isEmpty()) return EnumSet.allOf(Role.class);
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String n : names) {
      String trimmed = n.trim();
      if (!trimmed.isEmpty()) roles.add(Role.fromWire(trimmed));
    }
    if (roles.isEmpty()) throw new IllegalArgumentException("no roles given");
    return roles;
  }
}
