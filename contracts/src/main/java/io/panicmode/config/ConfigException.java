package io.panicmode.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config that failed to parse or validate; carries every error found, not just the first. */
public class ConfigException extends Exception {
  private final List<ConfigError> errors;

  public ConfigException(String source, List<ConfigError> errors) {
    super(source + ": " + errors.size() + " error(s)\n" + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() { return errors; }
}
