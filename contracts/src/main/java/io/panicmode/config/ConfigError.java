package io.panicmode.config;

/** One problem in a config file: the key path (e.g. {@code monitors[2].threshold}) and what is wrong. */
public record ConfigError(String path, String message) {
  @Override
  public String toString() { return path + ": " + message; }
}
