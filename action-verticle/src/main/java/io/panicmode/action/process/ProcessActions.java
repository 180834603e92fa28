package io.panicmode.action.process;

import io.panicmode.action.Outcome;
import io.panicmode.contracts.ActionResult.Status;
import io.panicmode.contracts.ProcessRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process operations. Blocking (they read /proc, sample CPU over an interval and run kill):
 * call them on a worker. Every candidate passes {@link Protection} whatever the operation; the
 * mass_freeze.yaml whitelist applies to freeze_top_process, mass_freeze and kill_process (not to
 * mass_freeze_top, whose point is to ignore it, nor to a named cluster, which is explicit).
 * {@code max_processes_to_freeze} caps every freeze; dry run (processes.dry_run or the file's
 * dry_run) logs and reports what would be signalled and signals nothing.
 */
public final class ProcessActions {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessActions.class);
  private static final long CLK_TCK = 100;

  private final ProcessSource source;
  private final Signaller signaller;
  private final Protection protection;
  private final MassFreezeConfig mf;
  private final boolean dryRun;
  private final Map<String, Integer> users;
  private final Duration sampleInterval;
  private final Clock clock;
  private final FreezeRegistry frozen;

  /**
   * @param users          user name → uid (from /etc/passwd) for cluster selectors
   * @param sampleInterval how long CPU use is measured before choosing the top processes
   */
  public ProcessActions(ProcessSource source, Signaller signaller, Protection protection, MassFreezeConfig mf,
                        boolean dryRun, Map<String, Integer> users, Duration sampleInterval, Clock clock,
                        FreezeRegistry frozen) {
    this.source = source;
    this.signaller = signaller;
    this.protection = protection;
    this.mf = mf;
    this.dryRun = dryRun || mf.dryRun();
    this.users = Map.copyOf(users);
    this.sampleInterval = sampleInterval;
    this.clock = clock;
    this.frozen = frozen;
  }

  /** A process with its CPU use (percent of one core) over the sample interval. */
  public record Sampled(ProcInfo info, double cpu) {}

  public FreezeRegistry frozen() { return frozen; }

  public Outcome freezeTop(List<ProcessRef> explicit) {
    if (!explicit.isEmpty()) return signalExplicit(explicit, "STOP");
    List<ProcessRef> pick = top(p -> !whitelisted(p.info()) && p.cpu() > mf.minCpuToFreeze(),
        Math.min(mf.topCount(), mf.maxProcessesToFreeze()));
    if (pick.isEmpty()) return Outcome.skipped("no unprotected process above min_cpu_to_freeze " + mf.minCpuToFreeze() + "%");
    return apply(pick, "STOP");
  }

  public Outcome massFreeze() {
    List<ProcessRef> pick = top(p -> !whitelisted(p.info()), mf.maxProcessesToFreeze());
    if (pick.isEmpty()) return Outcome.skipped("no unprotected, non-whitelisted process to freeze");
    return apply(pick, "STOP");
  }

  public Outcome massFreezeTop() {
    List<ProcessRef> pick = top(p -> true, Math.min(mf.topCount(), mf.maxProcessesToFreeze()));
    if (pick.isEmpty()) return Outcome.skipped("no unprotected process to freeze");
    return apply(pick, "STOP");
  }

  public Outcome massFreezeCluster(String name) {
    MassFreezeConfig.Cluster c = mf.clusters().get(name);
    if (c == null) return Outcome.badInput("no cluster \"" + name + "\" in mass_freeze.yaml");
    List<ProcessRef> pick = candidates().stream().filter(p -> inCluster(c, p))
        .limit(mf.maxProcessesToFreeze()).map(ProcInfo::ref).toList();
    if (pick.isEmpty()) return Outcome.skipped("no unprotected process in cluster " + name);
    return apply(pick, "STOP");
  }

  public Outcome kill(List<ProcessRef> explicit) {
    if (!explicit.isEmpty()) return signalExplicit(explicit, "KILL");
    List<ProcessRef> pick = top(p -> !whitelisted(p.info()) && p.cpu() > mf.minCpuToFreeze(), mf.topCount());
    if (pick.isEmpty()) return Outcome.skipped("no unprotected process above min_cpu_to_freeze " + mf.minCpuToFreeze() + "%");
    return apply(pick, "KILL");
  }

  /**
   * SIGCONT to the given processes, or to every process this verticle froze when none is given.
   * A ref with start time 0 (an operator who knows only the pid) means the process this verticle
   * froze under that pid, and only that one.
   */
  public Outcome thaw(List<ProcessRef> refs) {
    List<ProcessRef> targets = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    if (refs.isEmpty()) targets.addAll(frozen.all());
    for (ProcessRef r : refs) {
      if (r.startTime() != 0) {
        targets.add(r);
        continue;
      }
      Optional<ProcessRef> mine = frozen.all().stream().filter(f -> f.pid() == r.pid()).findFirst();
      if (mine.isPresent()) targets.add(mine.get());
      else unknown.add(r.pid() + " (not frozen by PanicMode; give its start time)");
    }
    if (targets.isEmpty()) return Outcome.skipped(unknown.isEmpty() ? "nothing frozen" : "not thawed: " + String.join(", ", unknown));
    Outcome o = apply(targets, "CONT");
    if (unknown.isEmpty()) return o;
    String note = (o.reason().isEmpty() ? "" : o.reason() + "; ") + "not thawed: " + String.join(", ", unknown);
    return new Outcome(o.status(), note, o.retryable(), o.affected());
  }

  /** Thaws processes frozen longer than freeze_timeout; returns how many. */
  public int thawDue() {
    if (mf.freezeTimeout() == null) return 0;
    List<ProcessRef> due = frozen.frozenBefore(clock.millis() - mf.freezeTimeout().toMillis());
    if (due.isEmpty()) return 0;
    LOG.info("freeze_timeout reached: thawing {} processes", due.size());
    apply(due, "CONT");
    return due.size();
  }

  private Outcome signalExplicit(List<ProcessRef> refs, String signal) {
    List<ProcessRef> ok = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (ProcessRef r : refs) {
      Optional<ProcInfo> cur = source.read(r.pid()).filter(i -> i.startTime() == r.startTime());
      if (cur.isEmpty()) {
        refused.add(r.pid() + ":" + r.startTime() + " (gone or pid recycled)");
        continue;
      }
      Optional<String> why = protection.why(cur.get());
      if (why.isEmpty() && whitelisted(cur.get())) why = Optional.of("in mass_freeze.yaml whitelist");
      if (why.isPresent()) refused.add(cur.get().key() + " (" + why.get() + ")");
      else ok.add(cur.get().ref());
    }
    if (ok.isEmpty()) return Outcome.skipped("nothing to signal: " + String.join(", ", refused));
    Outcome o = apply(ok, signal);
    if (refused.isEmpty()) return o;
    String note = (o.reason().isEmpty() ? "" : o.reason() + "; ") + "not signalled: " + String.join(", ", refused);
    return new Outcome(o.status(), note, o.retryable(), o.affected());
  }

  private Outcome apply(List<ProcessRef> refs, String signal) {
    String verb = switch (signal) {
      case "STOP" -> "freeze";
      case "CONT" -> "thaw";
      default -> "kill";
    };
    List<String> keys = refs.stream().map(r -> r.pid() + ":" + r.startTime()).toList();
    if (dryRun) {
      LOG.info("dry run: would {} {}", verb, keys);
      return new Outcome(Status.SKIPPED, "dry run: would " + verb + " " + keys.size() + " processes", false, keys);
    }
    Signaller.Result r = signaller.signal(refs, signal);
    long now = clock.millis();
    switch (signal) {
      case "STOP" -> frozen.add(r.signalled(), now);
      default -> {
        frozen.remove(r.signalled());
        frozen.remove(r.stale());
      }
    }
    List<String> affected = r.signalled().stream().map(p -> p.pid() + ":" + p.startTime()).toList();
    String note = r.stale().isEmpty() ? "" : r.stale().size() + " gone or recycled, not signalled";
    if (r.error() != null && affected.isEmpty()) return Outcome.failed(r.error(), true);
    if (r.error() != null) note = (note.isEmpty() ? "" : note + "; ") + r.error();
    if (affected.isEmpty()) return Outcome.skipped("processes gone before they could be signalled");
    return Outcome.done(affected, note);
  }

  /** Unprotected, live processes (zombies and already-stopped ones left out). */
  private List<ProcInfo> candidates() {
    List<ProcInfo> out = new ArrayList<>();
    for (ProcInfo p : source.list()) {
      if (p.state() == 'Z' || p.state() == 'X' || p.state() == 'T' || p.state() == 't') continue;
      if (protection.why(p).isEmpty()) out.add(p);
    }
    return out;
  }

  private List<ProcessRef> top(Predicate<Sampled> filter, int limit) {
    return sample().stream().filter(filter).sorted(Comparator.comparingDouble(Sampled::cpu).reversed()).limit(limit)
        .map(s -> s.info().ref()).toList();
  }

  /** CPU use of every unprotected candidate over {@code sampleInterval}. */
  public List<Sampled> sample() {
    Map<String, Long> before = new HashMap<>();
    for (ProcInfo p : candidates()) before.put(p.key(), p.cpuTicks());
    long t0 = System.nanoTime();
    try {
      Thread.sleep(sampleInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double secs = Math.max(0.001, (System.nanoTime() - t0) / 1e9);
    List<Sampled> out = new ArrayList<>();
    for (ProcInfo p : candidates()) {
      Long b = before.get(p.key());
      if (b == null) continue;
      out.add(new Sampled(p, (p.cpuTicks() - b) * 100.0 / CLK_TCK / secs));
    }
    return out;
  }

  private boolean whitelisted(ProcInfo p) {
    for (String pat : mf.whitelist()) if (Glob.matches(pat, p.name())) return true;
    return false;
  }

  private boolean inCluster(MassFreezeConfig.Cluster c, ProcInfo p) {
    for (String pat : c.names()) if (Glob.matches(pat, p.name())) return true;
    for (String u : c.users()) {
      Integer uid = users.get(u);
      if (uid == null && u.chars().allMatch(Character::isDigit) && u.length() < 10) uid = Integer.parseInt(u);
      if (uid != null && uid == p.uid()) return true;
    }
    for (String cg : c.cgroups()) {
      if (p.cgroup().equals(cg) || p.cgroup().startsWith(cg.endsWith("/") ? cg : cg + "/")) return true;
    }
    return false;
  }

  /** user name → uid from /etc/passwd text. */
  public static Map<String, Integer> parsePasswd(String text) {
    Map<String, Integer> out = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length < 3) continue;
      try {
        out.put(f[0], Integer.parseInt(f[2]));
      } catch (NumberFormatException e) {
        // A malformed line names no usable user; the others still count.
      }
    }
    return out;
  }
}
