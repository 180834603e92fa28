package io.panicmode.collector.source;

import io.panicmode.collector.proc.ProcParsers;
import io.panicmode.contracts.MetricNames;
import java.util.List;

/** swap_usage from /proc/meminfo; 0 on a host without swap (nothing can be used). */
public final class SwapSource implements MetricSource {
  private final ProcRoot proc;

  public SwapSource(ProcRoot proc) { this.proc = proc; }

  @Override public String name() { return "swap"; }

  @Override public List<String> metrics() { return List.of(MetricNames.SWAP_USAGE); }

  @Override
  public void collect(Readings out) throws Exception {
    out.gauge(MetricNames.SWAP_USAGE, ProcParsers.swapUsedPercent(ProcParsers.parseMeminfo(proc.read("meminfo"))));
  }
}
