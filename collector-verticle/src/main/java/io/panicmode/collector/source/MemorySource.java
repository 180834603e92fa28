package io.panicmode.collector.source;

import io.panicmode.collector.proc.ProcParsers;
import io.panicmode.contracts.MetricNames;
import java.util.List;

/** memory_usage from /proc/meminfo, MemAvailable-based. */
public final class MemorySource implements MetricSource {
  private final ProcRoot proc;

  public MemorySource(ProcRoot proc) { this.proc = proc; }

  @Override public String name() { return "memory"; }

  @Override public List<String> metrics() { return List.of(MetricNames.MEMORY_USAGE); }

  @Override
  public void collect(Readings out) throws Exception {
    out.gauge(MetricNames.MEMORY_USAGE, ProcParsers.memoryUsedPercent(ProcParsers.parseMeminfo(proc.read("meminfo"))));
  }
}
