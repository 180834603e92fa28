package io.panicmode.collector.source;

import io.panicmode.collector.proc.ProcParsers;
import io.panicmode.collector.proc.ProcParsers.CpuTimes;
import io.panicmode.collector.proc.ProcParsers.Stat;
import io.panicmode.contracts.MetricNames;
import java.util.List;

/** cpu_usage (total) and cpu_core (per core) from /proc/stat deltas over the real interval between reads. */
public final class CpuSource implements MetricSource {
  private static final String NO_TICK = "no clock tick between the two reads (interval too short)";
  private final ProcRoot proc;
  private Stat previous;

  public CpuSource(ProcRoot proc) { this.proc = proc; }

  @Override public String name() { return "cpu"; }

  @Override public List<String> metrics() { return List.of(MetricNames.CPU_USAGE, MetricNames.CPU_CORE); }

  @Override public void prime() throws Exception { previous = ProcParsers.parseStat(proc.read("stat")); }

  @Override
  public void collect(Readings out) throws Exception {
    Stat now = ProcParsers.parseStat(proc.read("stat"));
    Stat before = previous;
    previous = now;
    if (before == null) {
      out.unavailable(MetricNames.CPU_USAGE, "first sample: no interval yet");
      out.unavailable(MetricNames.CPU_CORE, "first sample: no interval yet");
      return;
    }
    gaugeOrReason(out, MetricNames.CPU_USAGE, now.all().busyPercentSince(before.all()));
    out.emptySeries(MetricNames.CPU_CORE);
    now.cores().forEach((core, t) -> {
      CpuTimes b = before.cores().get(core);
      // A core that came online since the last read has no interval yet.
      if (b == null) return;
      double pct = t.busyPercentSince(b);
      if (Double.isNaN(pct)) out.unavailable(Readings.labelKey(MetricNames.CPU_CORE, core), NO_TICK);
      else out.series(MetricNames.CPU_CORE, core, pct);
    });
  }

  private static void gaugeOrReason(Readings out, String name, double pct) {
    if (Double.isNaN(pct)) out.unavailable(name, NO_TICK);
    else out.gauge(name, pct);
  }
}
