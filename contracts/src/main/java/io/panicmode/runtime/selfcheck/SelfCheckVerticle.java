package io.panicmode.runtime.selfcheck;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in every PanicMode process whatever its roles: every {@code performance.check_interval}
 * samples the process's own CPU, RSS, open FDs and threads ({@link SelfSampler}), exposes them as
 * {@code panicmode_self_*} gauges, and for each limit {@link SelfCheck} finds exceeded publishes a
 * critical {@link Incident} (monitor type {@code self}, rule {@value #RULE}) on
 * {@link Addresses#INCIDENTS} and asks {@link Addresses#ALERTS} to alert it.
 */
public final class SelfCheckVerticle extends VerticleBase {
  public static final String RULE = "panicmode_self_check";
  static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Logger log = LoggerFactory.getLogger(SelfCheckVerticle.class);

  private final NodeContext ctx;
  private final SelfSampler sampler;
  private final SelfCheck check;
  private final AtomicReference<SelfSampler.Sample> last = new AtomicReference<>();
  private final AtomicBoolean busy = new AtomicBoolean();
  private long timer = -1;

  public SelfCheckVerticle(NodeContext ctx) {
    // PanicMode's own figures always come from the real /proc: collector.proc_root may point at a fixture.
    this(ctx, new SelfSampler(Path.of("/proc")), SETTLE);
  }

  /** For tests: a sampler over a fixture proc root and a short settle time. */
  public SelfCheckVerticle(NodeContext ctx, SelfSampler sampler, Duration settle) {
    this.ctx = ctx;
    this.sampler = sampler;
    this.check = new SelfCheck(ctx.config().performance(), ctx.clock().millis(), settle);
  }

  @Override
  public Future<?> start() {
    var m = ctx.metrics();
    m.gauge("panicmode_self_cpu_percent", "CPU % of this process (100 = one core)", () -> value(SelfSampler.Sample::cpuPercent));
    m.gauge("panicmode_self_rss_bytes", "resident memory of this process", () -> value(s -> s.rssMb() * 1024 * 1024));
    m.gauge("panicmode_self_open_fds", "open file descriptors of this process", () -> value(s -> s.openFds()));
    m.gauge("panicmode_self_threads", "OS threads of this process", () -> value(s -> s.threads()));
    // A first sample that cannot be read is counted by tick() later; it never stops the process from starting.
    return vertx.executeBlocking(sampler::sample).onSuccess(last::set).otherwiseEmpty().map(s -> {
      timer = vertx.setPeriodic(ctx.config().performance().checkInterval().toMillis(), id -> tick());
      return s;
    });
  }

  private double value(java.util.function.ToDoubleFunction<SelfSampler.Sample> f) {
    SelfSampler.Sample s = last.get();
    return s == null ? Double.NaN : f.applyAsDouble(s);
  }

  private void tick() {
    // A slow /proc read must not stack up samples.
    if (!busy.compareAndSet(false, true)) return;
    vertx.executeBlocking(sampler::sample).onComplete(ar -> {
      busy.set(false);
      if (ar.failed()) {
        ctx.metrics().counter("panicmode_selfcheck_errors_total", "self samples that could not be read").increment();
        log.warn("self-check sample failed: {}", ar.cause().toString());
        return;
      }
      last.set(ar.result());
      long now = ctx.clock().millis();
      for (SelfCheck.Breach b : check.evaluate(ar.result(), now)) alert(b, ar.result(), now);
    });
  }

  private void alert(SelfCheck.Breach b, SelfSampler.Sample s, long now) {
    String details = String.format("cpu_percent=%.1f rss_mb=%.1f open_fds=%d threads=%d baseline_rss_mb=%s",
        Double.isNaN(s.cpuPercent()) ? 0.0 : s.cpuPercent(), s.rssMb(), s.openFds(), s.threads(),
        check.baselineMb() == null ? "unsettled" : String.format("%.1f", check.baselineMb()));
    Incident incident = new Incident("self-" + ctx.hostId() + "-" + b.check() + "-" + now, ctx.hostId(), RULE, "self",
        Severity.CRITICAL, Incident.State.FIRING, b.description(), details, b.value(), b.limit(), Subjects.NONE,
        List.of("alert_critical"), now, null);
    ctx.metrics().counter("panicmode_selfcheck_alerts_total", "self-check limits exceeded and alerted", "check", b.check()).increment();
    log.warn("self-check: {}", b.description());
    vertx.eventBus().publish(Addresses.INCIDENTS, incident.toJson());
    AlertRequest alert = AlertRequest.of(incident, now);
    StorageWrite write = StorageWrite.incident(incident);
    ctx.deliver(vertx, Addresses.STORAGE, write.id(), write.toJson());
    Future<?> accepted = ctx.deliver(vertx, Addresses.ALERTS, alert.id(), alert.toJson());
    accepted.onFailure(err -> {
      ctx.metrics().counter("panicmode_selfcheck_alert_failures_total", "self-check alerts the alert role did not acknowledge").increment();
      log.error("self-check alert not acknowledged: {}: {}", b.description(), err.toString());
    });
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
