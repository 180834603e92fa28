package io.panicmode.collector.source;

import io.panicmode.contracts.MetricNames;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** process_count: every numeric entry of the proc root (all processes, no cap; threads not counted). */
public final class ProcessCountSource implements MetricSource {
  private final ProcRoot proc;

  public ProcessCountSource(ProcRoot proc) { this.proc = proc; }

  @Override public String name() { return "processes"; }

  @Override public List<String> metrics() { return List.of(MetricNames.PROCESS_COUNT); }

  @Override
  public void collect(Readings out) throws Exception {
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc.root())) {
      for (Path p : ds) if (isPid(p.getFileName().toString())) n++;
    }
    out.gauge(MetricNames.PROCESS_COUNT, n);
  }

  static boolean isPid(String name) {
    if (name.isEmpty()) return false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }
}
