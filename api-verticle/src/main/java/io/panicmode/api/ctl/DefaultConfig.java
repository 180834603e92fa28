package io.panicmode.api.ctl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the config is looked for when none is named, in order: {@code config/panicmode.yaml} in
 * the working directory, {@code config/panicmode.yaml} under {@code PANICMODE_HOME} (set by
 * {@code bin/panicmode} to its installation, so the quick start works from any directory), then
 * {@code /etc/panicmode/config.yaml}. Shared by {@code panicmode run}, {@code validate} and
 * {@code ctl}.
 */
public final class DefaultConfig {
  private DefaultConfig() {}

  public static List<Path> candidates(Map<String, String> env) {
    List<Path> out = new ArrayList<>();
    out.add(Path.of("config", "panicmode.yaml"));
    String home = env.get("PANICMODE_HOME");
    if (home != null && !home.isBlank()) out.add(Path.of(home, "config", "panicmode.yaml"));
    out.add(Path.of("/etc/panicmode/config.yaml"));
    return out;
  }

  /** The first candidate that exists, else the last (so the error names the system-wide path). */
  public static Path find(Map<String, String> env) {
    List<Path> candidates = candidates(env);
    return candidates.stream().filter(Files::exists).findFirst().orElse(candidates.get(candidates.size() - 1));
  }
}
