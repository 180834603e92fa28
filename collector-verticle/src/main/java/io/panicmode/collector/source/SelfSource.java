package io.panicmode.collector.source;

import io.panicmode.contracts.MetricNames;
import io.panicmode.runtime.selfcheck.SelfSampler;
import java.util.List;

/** self: this collector process's own cpu_percent, rss_mb, open_fds and threads (the self-check's figures). */
public final class SelfSource implements MetricSource {
  private final SelfSampler sampler;

  public SelfSource(SelfSampler sampler) { this.sampler = sampler; }

  @Override public String name() { return "self"; }

  @Override public List<String> metrics() { return List.of(MetricNames.SELF); }

  @Override public void prime() throws Exception { sampler.sample(); }

  @Override
  public void collect(Readings out) throws Exception {
    SelfSampler.Sample s = sampler.sample();
    if (!Double.isNaN(s.cpuPercent())) out.series(MetricNames.SELF, "cpu_percent", s.cpuPercent());
    out.series(MetricNames.SELF, "rss_mb", s.rssMb());
    out.series(MetricNames.SELF, "open_fds", s.openFds());
    out.series(MetricNames.SELF, "threads", s.threads());
  }
}
