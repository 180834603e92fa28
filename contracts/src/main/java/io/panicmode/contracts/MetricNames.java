package io.panicmode.contracts;

/** Names of gauges and series in a {@link MetricsSnapshot}; gauge names equal the monitor types they feed. */
public final class MetricNames {
  private MetricNames() {}

  // Gauges: one value per snapshot.
  /** Total CPU busy %, (1 - (idle+iowait)/total) over the real interval between two /proc/stat reads. */
  public static final String CPU_USAGE = "cpu_usage";
  /** RAM used %, 100 * (MemTotal - MemAvailable) / MemTotal. */
  public static final String MEMORY_USAGE = "memory_usage";
  /** Swap used %, 100 * (SwapTotal - SwapFree) / SwapTotal; 0 with no swap. */
  public static final String SWAP_USAGE = "swap_usage";
  /** 1-minute load average. */
  public static final String LOAD_AVERAGE = "load_average";
  public static final String LOAD_AVERAGE_5 = "load_average_5";
  public static final String LOAD_AVERAGE_15 = "load_average_15";
  /** Number of processes (every numeric /proc entry). */
  public static final String PROCESS_COUNT = "process_count";
  /** New established TCP connections per second (see the collector docs for the exact definition). */
  public static final String CONNECTION_RATE = "connection_rate";
  /** Established TCP connections (v4 + v6) right now. */
  public static final String CONNECTIONS_TOTAL = "connections_total";
  /** Highest busy % over all disks (what a disk_io rule compares). */
  public static final String DISK_IO = "disk_io";

  // Series: values keyed by a label.
  /** Per-core busy %, keyed by core number. */
  public static final String CPU_CORE = "cpu_core";
  /** Used % keyed by mount point. */
  public static final String DISK_USAGE = "disk_usage";
  /** Busy % keyed by device. */
  public static final String DISK_BUSY = "disk_busy";
  public static final String DISK_READ_BPS = "disk_read_bps";
  public static final String DISK_WRITE_BPS = "disk_write_bps";
  /** Established connections keyed by remote IP (canonical form). */
  public static final String CONNECTIONS_PER_IP = "connections_per_ip";
  /** Custom metric values keyed by metric name. */
  public static final String CUSTOM = "custom";
  /** File events in the aggregation window keyed by watched path. */
  public static final String FILE_EVENTS = "file_events";
  /** PanicMode's own figures keyed by cpu_percent, rss_mb, open_fds, threads. */
  public static final String SELF = "self";
}
