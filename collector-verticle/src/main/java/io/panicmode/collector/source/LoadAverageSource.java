package io.panicmode.collector.source;

import io.panicmode.collector.proc.ProcParsers;
import io.panicmode.contracts.MetricNames;
import java.util.List;

/** load_average (1 min), load_average_5 and load_average_15 from /proc/loadavg. */
public final class LoadAverageSource implements MetricSource {
  private final ProcRoot proc;

  public LoadAverageSource(ProcRoot proc) { this.proc = proc; }

  @Override public String name() { return "load"; }

  @Override
  public List<String> metrics() {
    return List.of(MetricNames.LOAD_AVERAGE, MetricNames.LOAD_AVERAGE_5, MetricNames.LOAD_AVERAGE_15);
  }

  @Override
  public void collect(Readings out) throws Exception {
    double[] l = ProcParsers.parseLoadavg(proc.read("loadavg"));
    out.gauge(MetricNames.LOAD_AVERAGE, l[0]).gauge(MetricNames.LOAD_AVERAGE_5, l[1]).gauge(MetricNames.LOAD_AVERAGE_15, l[2]);
  }
}
