package io.panicmode.launcher;

import io.panicmode.collector.auth.AuthLogFile;
import io.panicmode.collector.auth.AuthMode;
import io.panicmode.config.ConfigError;
import io.panicmode.config.ConfigException;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.detector.replay.ReplayRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * {@code panicmode replay --config FILE --auth-log LOG [--json] [--year YYYY]}: the collector's
 * parser and the detector on the log's own timestamps, acting on nothing.
 */
final class ReplayCommand {
  private ReplayCommand() {}

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Path config = null;
    Path log = null;
    boolean json = false;
    int year = LocalDate.now().getYear();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (++i >= args.length) return Main.usage(err, "--config needs a file");
          config = Path.of(args[i]);
        }
        case "--auth-log" -> {
          if (++i >= args.length) return Main.usage(err, "--auth-log needs a file");
          log = Path.of(args[i]);
        }
        case "--year" -> {
          if (++i >= args.length) return Main.usage(err, "--year needs a year");
          try {
            year = Integer.parseInt(args[i]);
          } catch (NumberFormatException e) {
            return Main.usage(err, "--year: not a year: " + args[i]);
          }
        }
        case "--json" -> json = true;
        default -> {
          return Main.usage(err, "unexpected argument \"" + args[i] + "\"");
        }
      }
    }
    if (config == null || log == null) return Main.usage(err, "replay needs --config FILE and --auth-log LOG");
    PanicConfig cfg;
    try {
      cfg = ConfigLoader.load(config, env);
    } catch (ConfigException e) {
      err.println("Error: " + config + " is not valid:");
      for (ConfigError error : e.errors()) err.println("  " + error);
      return 1;
    }
    List<AuthEvent> events;
    try {
      events = AuthLogFile.events(log, cfg.node().id(), ZoneId.systemDefault(), year, AuthMode.parse(cfg.collector().authMode()));
    } catch (IOException e) {
      err.println("Error: cannot read " + log + ": " + e.getMessage());
      return 1;
    }
    return ReplayRunner.run(cfg, events, json, out);
  }
}
