package io.panicmode.config;

import java.util.Locale;

/** The monitor types of {@code monitors[].type}. */
public enum MonitorType {
  CPU_USAGE, MEMORY_USAGE, SWAP_USAGE, DISK_USAGE, DISK_IO, CONNECTION_RATE, AUTH_FAILURES, FILE_MONITOR,
  PROCESS_COUNT, LOAD_AVERAGE, CUSTOM;

  /** The YAML spelling, e.g. {@code cpu_usage}. */
  public String wire() { return name().toLowerCase(Locale.ROOT); }
}
