package io.panicmode.launcher;

import io.panicmode.config.ConfigError;
import io.panicmode.config.ConfigException;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.CustomRuleMetric;
import io.panicmode.config.PanicConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** {@code panicmode validate FILE}: prints {@code OK: <path> parsed and validated} (exit 0) or every error (exit 1). */
final class ValidateCommand {
  private ValidateCommand() {}

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length != 1) return Main.usage(err, "validate needs exactly one config file");
    Path file = Path.of(args[0]);
    try {
      PanicConfig cfg = ConfigLoader.load(file, env);
      out.println("OK: " + file + " parsed and validated");
      for (String assumed : CustomRuleMetric.assumptions(cfg)) err.println("Warning: " + assumed);
      return 0;
    } catch (ConfigException e) {
      err.println("Error: " + file + " is not valid (" + e.errors().size() + " error(s)):");
      for (ConfigError error : e.errors()) err.println("  " + error);
      return 1;
    }
  }
}
