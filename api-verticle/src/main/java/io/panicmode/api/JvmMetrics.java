package io.panicmode.api;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** JVM and process figures in the Prometheus text format, appended to the registry's output. */
final class JvmMetrics {
  private JvmMetrics() {}

  static String render(String version, long startedAtMillis, long now) {
    StringBuilder sb = new StringBuilder();
    var mem = ManagementFactory.getMemoryMXBean();
    MemoryUsage heap = mem.getHeapMemoryUsage();
    MemoryUsage nonHeap = mem.getNonHeapMemoryUsage();
    head(sb, "jvm_memory_bytes_used", "gauge", "Used JVM memory by area");
    sample(sb, "jvm_memory_bytes_used{area=\"heap\"}", heap.getUsed());
    sample(sb, "jvm_memory_bytes_used{area=\"nonheap\"}", nonHeap.getUsed());
    head(sb, "jvm_memory_bytes_committed", "gauge", "Committed JVM memory by area");
    sample(sb, "jvm_memory_bytes_committed{area=\"heap\"}", heap.getCommitted());
    sample(sb, "jvm_memory_bytes_committed{area=\"nonheap\"}", nonHeap.getCommitted());
    head(sb, "jvm_memory_bytes_max", "gauge", "Maximum JVM heap (-1 when unbounded)");
    sample(sb, "jvm_memory_bytes_max{area=\"heap\"}", heap.getMax());
    head(sb, "jvm_threads_live", "gauge", "Live JVM threads");
    sample(sb, "jvm_threads_live", ManagementFactory.getThreadMXBean().getThreadCount());
    List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    head(sb, "jvm_gc_collections_total", "counter", "Garbage collections by collector");
    for (GarbageCollectorMXBean gc : gcs) sample(sb, "jvm_gc_collections_total{gc=\"" + label(gc.getName()) + "\"}", gc.getCollectionCount());
    head(sb, "jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collection by collector");
    for (GarbageCollectorMXBean gc : gcs) {
      sb.append("jvm_gc_collection_seconds_total{gc=\"").append(label(gc.getName())).append("\"} ")
          .append(gc.getCollectionTime() / 1000.0).append('\n');
    }
    long rss = residentBytes();
    if (rss >= 0) {
      head(sb, "process_resident_memory_bytes", "gauge", "Resident set size of this process");
      sample(sb, "process_resident_memory_bytes", rss);
    }
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      head(sb, "process_open_fds", "gauge", "Open file descriptors of this process");
      sample(sb, "process_open_fds", os.getOpenFileDescriptorCount());
    }
    head(sb, "process_start_time_seconds", "gauge", "Start time of this PanicMode process (unix seconds)");
    sample(sb, "process_start_time_seconds", startedAtMillis / 1000);
    head(sb, "panicmode_uptime_seconds", "gauge", "Seconds since this PanicMode process started");
    sample(sb, "panicmode_uptime_seconds", Math.max(0, (now - startedAtMillis) / 1000));
    head(sb, "panicmode_build_info", "gauge", "Version of this PanicMode process");
    sample(sb, "panicmode_build_info{version=\"" + label(version) + "\"}", 1);
    return sb.toString();
  }

  /** RSS from /proc/self/statm (pages), or -1 off Linux. */
  private static long residentBytes() {
    try {
      String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
      return Long.parseLong(f[1]) * 4096L;
    } catch (Exception e) {
      return -1;
    }
  }

  private static void head(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder sb, String series, long value) {
    sb.append(series).append(' ').append(value).append('\n');
  }

  private static String label(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
