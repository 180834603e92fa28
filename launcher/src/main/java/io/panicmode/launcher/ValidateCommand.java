package io.panicmode.launcher;

import io.panicmode.api.ctl.DefaultConfig;
import io.panicmode.config.ConfigError;
import io.panicmode.config.ConfigException;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.CustomRuleMetric;
import io.panicmode.config.FirewallBackend;
import io.panicmode.config.FirewallConfig;
import io.panicmode.config.PanicConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code panicmode validate [FILE]} (without FILE: the config {@code run} would load): prints {@code OK: <path> parsed and validated} (exit 0) or every error (exit 1).
 * It also checks the scripts the config names: one that exists but is not an executable file is an
 * error; one that does not exist is only a warning, because a config is often validated before it is
 * installed (on a build host, in CI, before the package that ships the scripts).
 */
final class ValidateCommand {
  private ValidateCommand() {}

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length > 1) return Main.usage(err, "validate takes one config file (or none: the one run would use)");
    Path file = args.length == 1 ? Path.of(args[0]) : DefaultConfig.find(env);
    try {
      PanicConfig cfg = ConfigLoader.load(file, env);
      List<String> problems = new ArrayList<>();
      for (Map.Entry<String, String> script : scripts(cfg).entrySet()) {
        Path p = Path.of(script.getValue());
        if (!Files.exists(p)) {
          err.println("Warning: " + script.getKey() + ": " + p + " does not exist (yet); it must before it is needed");
        } else if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
          problems.add(script.getKey() + ": " + p + " is not an executable file");
        }
      }
      if (!problems.isEmpty()) {
        err.println("Error: " + file + " is not valid (" + problems.size() + " error(s)):");
        for (String problem : problems) err.println("  " + problem);
        return 1;
      }
      out.println("OK: " + file + " parsed and validated");
      for (String assumed : CustomRuleMetric.assumptions(cfg)) err.println("Warning: " + assumed);
      return 0;
    } catch (ConfigException e) {
      err.println("Error: " + file + " is not valid (" + e.errors().size() + " error(s)):");
      for (ConfigError error : e.errors()) err.println("  " + error);
      return 1;
    }
  }

  /** Every script the config would run, by key path. */
  static Map<String, String> scripts(PanicConfig c) {
    Map<String, String> scripts = new LinkedHashMap<>();
    FirewallConfig f = c.firewall();
    if (f.enabled() && f.backend() == FirewallBackend.SCRIPT) {
      scripts.put("firewall.block_script", f.blockScript());
      scripts.put("firewall.unblock_script", f.unblockScript());
    }
    if (f.rateLimitScript() != null) scripts.put("firewall.rate_limit_script", f.rateLimitScript());
    c.actions().forEach((key, hook) -> {
      if ("script".equals(hook.type())) scripts.put("actions." + key + ".action", hook.action());
    });
    return scripts;
  }
}
