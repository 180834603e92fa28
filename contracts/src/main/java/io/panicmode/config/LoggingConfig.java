package io.panicmode.config;

/** {@code format}: text or json. {@code file}: also write a daily-rotated file under {@code storage.log_dir}. */
public record LoggingConfig(
    @Default("info") String level,
    @Default("text") String format,
    @Default("true") boolean file) {}
