package io.panicmode.detector;

import io.panicmode.config.ActionKind;
import io.panicmode.config.MonitorRule;
import io.panicmode.config.MonitorType;
import io.panicmode.config.PanicConfig;
import io.panicmode.config.RateLimitsConfig;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.Subjects;
import io.panicmode.contracts.net.BanRules;
import io.panicmode.contracts.net.IpSet;
import io.panicmode.contracts.net.StrictIp;
import io.panicmode.detector.anomaly.Anomalies;
import io.panicmode.detector.anomaly.Anomaly;
import io.panicmode.detector.auth.AuthTracker;
import io.panicmode.detector.auth.DistributedAuth;
import io.panicmode.detector.check.CheckRunner;
import io.panicmode.detector.check.Hold;
import io.panicmode.detector.check.RuleCheck;
import io.panicmode.detector.check.RuleInfo;
import io.panicmode.detector.check.Signals;
import io.panicmode.detector.check.Transitions;
import io.panicmode.detector.claims.Claims;
import io.panicmode.detector.state.DetectorState;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * The detector's logic without Vert.x: rules, anomalies and per-IP auth tracking produce fire and
 * clear transitions; fires of one evaluation are grouped per rule, deduplicated per
 * (host, rule, subject) through {@link Claims}, and handed to {@link Outputs} critical first;
 * alerts pass a per-(rule, severity) rate limit (actions never do). Subjects that clear resolve
 * their incident once all of its subjects have cleared.
 *
 * <p>Single-threaded: the verticle calls it from its event loop, replay and tests from one
 * thread. Time comes only from the {@link Clock} given.
 */
public final class DetectorCore {
  private final String host;
  private final Clock clock;
  private final Claims claims;
  private final Outputs out;
  private final CommandPlanner planner;
  private final BanRules ips;
  private final long dedupMs;
  private final RateLimitsConfig rateLimits;
  private final List<CheckRunner> checks = new ArrayList<>();
  private final List<AuthTracker> auth = new ArrayList<>();
  private final DistributedAuth distributed;
  /** By incident id, in firing order (so the state file lists them oldest first without a sort). */
  private final Map<String, Active> active = new LinkedHashMap<>();
  private final Map<String, Boolean> whitelistCache = new HashMap<>();
  private final Batch batch = new Batch();
  private Runnable onChange = () -> { };

  private final LongAdder authEvents;
  private final LongAdder metricEvents;
  private final LongAdder badEvents;
  private final LongAdder whitelisted;
  private final LongAdder fired;
  private final LongAdder resolvedCount;
  private final LongAdder deduplicated;
  private final LongAdder rateLimited;

  /** An incident this detector fired (or is claiming) and has not resolved yet. */
  private static final class Active {
    final String id;
    final Set<String> remaining;
    Incident incident;
    boolean deciding = true;
    boolean alerted;
    Long resolveAt;

    Active(String id, Set<String> subjects) {
      this.id = id;
      this.remaining = subjects;
    }
  }

  public DetectorCore(PanicConfig cfg, String host, Clock clock, Claims claims, Outputs out, MetricsRegistry metrics) {
    this.host = host;
    this.clock = clock;
    this.claims = claims;
    this.out = out;
    this.ips = new BanRules(IpSet.parse(cfg.firewall().whitelist()), cfg.firewall().banPrivateNetworks());
    this.planner = new CommandPlanner(host, cfg.actions(), ips);
    this.dedupMs = cfg.detector().dedupWindow().toMillis();
    this.rateLimits = cfg.detector().rateLimits();
    double hyst = cfg.detector().hysteresis();
    int max = cfg.detector().maxTrackedSubjects();
    LongAdder evictions = metrics.counter("panicmode_detector_evictions_total",
        "Tracked subjects (IPs, mounts, ...) evicted because detector.max_tracked_subjects was reached");
    for (MonitorRule r : cfg.monitors()) {
      if (!r.enabled()) continue;
      if (r.type() == MonitorType.AUTH_FAILURES) {
        Duration w = r.window() != null ? r.window() : cfg.detector().authWindow();
        auth.add(new AuthTracker(r, w.toMillis(), hyst, max, evictions));
      } else {
        checks.add(new CheckRunner(new RuleCheck(r, Signals.forRule(r, cfg), hyst), max, evictions));
      }
    }
    for (Anomaly a : Anomalies.enabled(cfg.anomaly(), hyst, ips)) checks.add(new CheckRunner(a, max, evictions));
    Double dt = cfg.detector().distributedAuthThreshold();
    this.distributed = dt == null ? null : new DistributedAuth(dt, cfg.detector().authWindow().toMillis(), hyst);

    authEvents = metrics.counter("panicmode_detector_events_total", "Events consumed by the detector", "kind", "auth");
    metricEvents = metrics.counter("panicmode_detector_events_total", "Events consumed by the detector", "kind", "metrics");
    badEvents = metrics.counter("panicmode_detector_bad_events_total", "Events dropped as malformed (e.g. an auth event whose IP is not an IP)");
    whitelisted = metrics.counter("panicmode_detector_auth_whitelisted_total", "Auth failures from whitelisted sources, not counted");
    fired = metrics.counter("panicmode_detector_incidents_total", "Incidents emitted", "state", "firing");
    resolvedCount = metrics.counter("panicmode_detector_incidents_total", "Incidents emitted", "state", "resolved");
    deduplicated = metrics.counter("panicmode_detector_deduplicated_total",
        "Firing subjects suppressed because (host, rule, subject) fired within detector.dedup_window");
    rateLimited = metrics.counter("panicmode_detector_alerts_rate_limited_total",
        "Alerts not sent because of detector.rate_limits (actions still ran)");
    metrics.gauge("panicmode_detector_tracked_subjects", "Subjects with detector state (IPs, mounts, ...)", this::tracked);
    metrics.gauge("panicmode_detector_active_incidents", "Incidents fired and not yet resolved", active::size);
  }

  /** Called after anything that should reach the state file soon (claims, incidents). */
  public void onChange(Runnable r) { this.onChange = r; }

  public void onMetrics(MetricsSnapshot s) {
    metricEvents.increment();
    long now = clock.millis();
    batch.start(now);
    for (CheckRunner c : checks) c.evaluate(s, now, batch);
    flush();
  }

  public void onAuth(AuthEvent e) {
    if (auth.isEmpty() && distributed == null) return;
    authEvents.increment();
    long now = clock.millis();
    batch.start(now);
    // Fast path: an IP the first rule already tracks is canonical and not whitelisted (those never enter).
    int from = 0;
    String ip = e.ip();
    if (!auth.isEmpty() && auth.get(0).recordIfTracked(ip, now, batch)) {
      from = 1;
    } else {
      ip = admit(ip);
      if (ip == null) return;
    }
    for (int i = from; i < auth.size(); i++) auth.get(i).record(ip, now, batch);
    if (distributed != null) distributed.record(now, batch);
    flush();
  }

  /** The canonical form of a source IP to count, or null (counted) when it is malformed or whitelisted. */
  private String admit(String raw) {
    String ip = StrictIp.canonical(raw).orElse(null);
    if (ip == null) {
      badEvents.increment();
      return null;
    }
    if (ips.hasWhitelist()) {
      Boolean w = whitelistCache.get(ip);
      if (w == null) {
        if (whitelistCache.size() >= 4096) whitelistCache.clear();
        w = ips.whitelisted(ip);
        whitelistCache.put(ip, w);
      }
      if (w) {
        whitelisted.increment();
        return null;
      }
    }
    return ip;
  }

  /** Lets time pass: auth windows age, pending auth subjects may fire, aged-out ones clear. */
  public void tick() {
    long now = clock.millis();
    batch.start(now);
    for (AuthTracker t : auth) t.tick(now, batch);
    if (distributed != null) distributed.tick(now, batch);
    flush();
  }

  public int tracked() {
    int n = 0;
    for (CheckRunner c : checks) n += c.tracked();
    for (AuthTracker t : auth) n += t.tracked();
    return n;
  }

  public int activeIncidents() { return active.size(); }

  // ---- transitions of one evaluation ----

  /** A rule's fires within one evaluation: they become one incident. */
  private static final class Group {
    final RuleInfo rule;
    final Map<String, Double> values = new LinkedHashMap<>();
    final List<Hold> holds = new ArrayList<>();

    Group(RuleInfo rule) { this.rule = rule; }
  }

  private final class Batch implements Transitions {
    long now;
    final LinkedHashMap<String, Group> groups = new LinkedHashMap<>();

    void start(long t) {
      now = t;
      groups.clear();
    }

    @Override
    public void fire(RuleInfo rule, String subject, double value, Hold hold) {
      Group g = groups.computeIfAbsent(rule.name(), k -> new Group(rule));
      g.values.put(subject, value);
      g.holds.add(hold);
    }

    @Override
    public void clear(String subject, String incidentId) {
      cleared(subject, incidentId, now);
    }
  }

  private void flush() {
    if (batch.groups.isEmpty()) return;
    List<Group> groups = new ArrayList<>(batch.groups.values());
    batch.groups.clear();
    long now = batch.now;
    groups.sort(Comparator.comparing((Group g) -> g.rule.severity()));
    List<Future<Runnable>> decided = new ArrayList<>();
    for (Group g : groups) decided.add(claim(g, now));
    // Every claim is under way; emit in severity order once they are all decided.
    Future.join(decided).onComplete(ar -> {
      for (Future<Runnable> f : decided) {
        if (f.succeeded()) f.result().run();
      }
    });
  }

  /** Claims the group's subjects; the future's runnable emits what was won. */
  private Future<Runnable> claim(Group g, long now) {
    List<String> keys = new ArrayList<>(g.values.keySet());
    keys.sort(null); // snapshot maps have no order; incidents and ids must not depend on it
    String id = incidentId(g.rule.name(), keys, now);
    for (Hold h : g.holds) h.incidentId(id);
    Active a = new Active(id, new LinkedHashSet<>(keys));
    active.put(id, a);
    List<Future<Claims.Outcome>> outcomes = new ArrayList<>();
    for (String k : keys) outcomes.add(claims.claim(dedupKey(g.rule.name(), k), id, now, dedupMs));
    return Future.join(outcomes).transform(ar -> {
      List<String> won = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        Future<Claims.Outcome> o = outcomes.get(i);
        if (o.succeeded() && o.result().won()) won.add(keys.get(i));
        else deduplicated.increment();
      }
      return Future.succeededFuture(() -> emit(a, g, won, now));
    });
  }

  private void emit(Active a, Group g, List<String> won, long now) {
    if (won.isEmpty()) {
      active.remove(a.id);
      return;
    }
    a.remaining.retainAll(won);
    RuleInfo r = g.rule;
    double value = Double.NEGATIVE_INFINITY;
    for (String k : won) value = Math.max(value, g.values.get(k));
    Subjects subjects = r.subjects().apply(won);
    a.incident = new Incident(a.id, host, r.name(), r.monitorType(), r.severity(), Incident.State.FIRING,
        describe(r, value, won), details(g, won), value, r.threshold(), subjects, r.actions(), now, null);
    fired.increment();
    out.fired(a.incident, planner.plan(a.incident, now));
    onChange.run();
    if (!alerts(r.actions())) {
      decided(a);
      return;
    }
    Severity sev = r.severity();
    claims.claim("rate|" + host + "|" + r.name() + "|" + sev.wire(), a.id, now, rateLimitMs(sev)).onComplete(ar -> {
      if (ar.succeeded() && ar.result().won()) {
        a.alerted = true;
        out.alert(a.incident);
        // The state file must know it was alerted: after a crash the RECOVERED alert depends on it.
        onChange.run();
      } else {
        rateLimited.increment();
      }
      decided(a);
    });
  }

  private void decided(Active a) {
    a.deciding = false;
    if (a.resolveAt != null || a.remaining.isEmpty()) resolve(a, a.resolveAt != null ? a.resolveAt : clock.millis());
  }

  private void cleared(String subject, String incidentId, long now) {
    if (incidentId == null) return;
    Active a = active.get(incidentId);
    if (a == null || !a.remaining.remove(subject) || !a.remaining.isEmpty()) return;
    if (a.deciding) a.resolveAt = now;
    else resolve(a, now);
  }

  private void resolve(Active a, long now) {
    if (active.remove(a.id) == null) return;
    resolvedCount.increment();
    out.resolved(a.incident.resolved(Math.max(now, a.incident.firedAt())), a.alerted);
    onChange.run();
  }

  private long rateLimitMs(Severity s) {
    return switch (s) {
      case CRITICAL -> rateLimits.critical().toMillis();
      case WARNING -> rateLimits.warning().toMillis();
      case INFO -> rateLimits.info().toMillis();
    };
  }

  private static boolean alerts(List<String> actions) {
    for (String a : actions) if (ActionKind.byWire(a).filter(k -> !k.executed()).isPresent()) return true;
    return false;
  }

  private String dedupKey(String rule, String subject) { return host + "|" + rule + "|" + subject; }

  /** Same inputs, same id: a retried or replayed incident is the same row everywhere. */
  private String incidentId(String rule, List<String> subjects, long firedAt) {
    String seed = host + "\n" + rule + "\n" + firedAt + "\n" + String.join(",", subjects);
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }

  static String describe(RuleInfo r, double value, List<String> subjects) {
    String s = r.name() + " exceeded threshold: " + num(value) + " " + r.comparator() + " " + num(r.threshold());
    if (subjects.size() == 1 && !subjects.get(0).isEmpty()) return s + " (" + subjects.get(0) + ")";
    if (subjects.size() > 1) return s + " (" + subjects.size() + " subjects)";
    return s;
  }

  private static String details(Group g, List<String> won) {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (String k : won) {
      if (k.isEmpty()) continue;
      if (n == 50) {
        sb.append(", ... (").append(won.size() - n).append(" more)");
        break;
      }
      if (n++ > 0) sb.append(", ");
      sb.append(k).append('=').append(num(g.values.get(k)));
    }
    return sb.toString();
  }

  /** 6 → "6", 97.25 → "97.25": what people read in alerts. */
  public static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(java.util.Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  // ---- state file ----

  /** Everything, auth windows included. */
  public DetectorState snapshot() { return snapshot(authWindows()); }

  /** The failure times per auth rule and IP: the bulky part, so the verticle takes it less often. */
  public Map<String, Map<String, long[]>> authWindows() {
    long now = clock.millis();
    Map<String, Map<String, long[]>> windows = new LinkedHashMap<>();
    for (AuthTracker t : auth) windows.put(t.info().name(), t.windows(now));
    return windows;
  }

  /** Claims and incidents as of now, with auth windows taken earlier ({@link #authWindows}). */
  public DetectorState snapshot(Map<String, Map<String, long[]>> windows) {
    long now = clock.millis();
    List<DetectorState.ActiveIncident> act = new ArrayList<>();
    for (Active a : active.values()) {
      if (a.incident != null) act.add(new DetectorState.ActiveIncident(a.incident, List.copyOf(a.remaining), a.alerted));
    }
    return new DetectorState(claims.live(now), act, windows, dedupMs, now);
  }

  /**
   * Restores a saved state before any event: claims go back to the claim store, incidents that
   * were firing are firing again (so their subjects resolve them), auth windows are refilled.
   * An incident whose rule no longer exists resolves at once.
   */
  public Future<Void> restore(DetectorState st) {
    long now = clock.millis();
    Map<String, AuthTracker> authByName = new HashMap<>();
    for (AuthTracker t : auth) authByName.put(t.info().name(), t);
    Map<String, CheckRunner> checkByName = new HashMap<>();
    for (CheckRunner c : checks) checkByName.put(c.info().name(), c);
    st.authWindows().forEach((rule, byIp) -> {
      AuthTracker t = authByName.get(rule);
      if (t != null) byIp.forEach(t::restoreWindow);
    });
    for (DetectorState.ActiveIncident ai : st.active()) {
      Incident inc = ai.incident();
      if (!inc.host().equals(host)) continue;
      AuthTracker t = authByName.get(inc.rule());
      CheckRunner c = checkByName.get(inc.rule());
      boolean dist = distributed != null && inc.rule().equals(DistributedAuth.NAME);
      Active a = new Active(inc.id(), new LinkedHashSet<>(ai.remaining()));
      a.incident = inc;
      a.alerted = ai.alerted();
      a.deciding = false;
      active.put(inc.id(), a);
      if (t == null && c == null && !dist) {
        resolve(a, now);
        continue;
      }
      for (String subject : ai.remaining()) {
        if (t != null) t.restoreFiring(subject, inc.id(), inc.firedAt());
        else if (c != null) c.restoreFiring(subject, inc.id(), inc.firedAt());
        else distributed.restoreFiring(inc.id(), inc.firedAt());
      }
    }
    return claims.restore(st.claims(), now);
  }
}
