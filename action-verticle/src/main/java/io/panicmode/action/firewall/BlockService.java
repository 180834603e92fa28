package io.panicmode.action.firewall;

import io.panicmode.action.Offload;
import io.panicmode.action.Outcome;
import io.panicmode.action.StorageReporter;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bans, unbans, rate limits, expiry and restore for this host. Runs on the verticle's event loop
 * and pushes blocking work (backend programs, ledger) through {@link Offload}. Every IP goes
 * through {@link IpPolicy} first; only canonical, allowed IPs reach the {@link Firewall}. Bans
 * waiting together are applied in one backend call; a ban that fails for a retryable reason is
 * tried again after {@code retryDelays}. Each applied or lifted ban is written to the local
 * {@link BlockLedger}, reported to storage and, for bans decided here, handed to
 * {@code sharePublisher} (fleet ban sharing). The bans in force live in memory and drive expiry:
 * a ledger or storage that cannot be written never stops a ban nor its expiry, and is not a
 * failure of the ban.
 */
public final class BlockService {
  private static final Logger LOG = LoggerFactory.getLogger(BlockService.class);

  /** Who asked and why. {@code shared} bans came from another host and are never passed on again. */
  public record BanRequest(String commandId, long requestedSecs, String reason, String incidentId, boolean shared) {}

  /** Runs a task later on the caller's event loop (retry backoff). */
  @FunctionalInterface
  public interface Scheduler {
    void after(long delayMillis, Runnable task);
  }

  /** IPs in one backend call at most; a larger backlog is applied in several calls, one after another. */
  static final int MAX_BATCH_IPS = 1000;

  private final String host;
  private final boolean enabled;
  private final Firewall firewall;
  private final IpPolicy policy;
  private final BanPolicy banPolicy;
  private final BlockLedger ledger;
  private final Offload offload;
  private final Clock clock;
  private final StorageReporter storage;
  private final Consumer<BlockRecord> sharePublisher;
  private final Scheduler scheduler;
  private final List<Duration> retryDelays;
  private final Consumer<String> ledgerHealth;
  private final int maxBatches;
  /** Active bans by IP: expiry in epoch millis, or null for permanent. Touched on the event loop only. */
  private final Map<String, Long> active = new HashMap<>();
  private boolean sweeping;
  /** The last ban/unban/expiry in flight per IP (event loop only); see {@link #serialized}. */
  private final Map<String, Future<?>> pending = new HashMap<>();
  /** Ban requests waiting for the next batch (event loop only). */
  private final ArrayDeque<Waiting> batchQueue = new ArrayDeque<>();
  private int batchesRunning;
  /** Storage write ids acknowledged and not yet marked in the ledger (event loop only). */
  private final List<String> recordedIds = new ArrayList<>();
  private boolean flushingRecorded;

  private final LongAdder invalidIps;
  private final LongAdder refusedIps;
  private final RefusalLog refusalLog = new RefusalLog();
  private final LongAdder bans;
  private final LongAdder unbans;
  private final LongAdder expired;
  private final LongAdder retries;
  private final LongAdder batchSizes;
  private final LongAdder ledgerFailures;
  private final LongAdder reconciled;

  /**
   * @param maxBatches   backend calls applying bans at once ({@code circuit_breakers.max_concurrency})
   * @param scheduler    runs retries later, on the event loop
   * @param retryDelays  the wait before each retry of a ban that failed for a retryable reason
   *                     (its length is the number of retries)
   * @param ledgerHealth told the problem when the ledger cannot be written, and null when it can
   *                     again (for /health); bans go on either way
   */
  public BlockService(String host, boolean enabled, Firewall firewall, IpPolicy policy, BanPolicy banPolicy,
                      BlockLedger ledger, Offload offload, Clock clock, StorageReporter storage,
                      Consumer<BlockRecord> sharePublisher, int maxBatches, Scheduler scheduler, List<Duration> retryDelays,
                      Consumer<String> ledgerHealth, MetricsRegistry metrics) {
    this.host = host;
    this.enabled = enabled;
    this.firewall = firewall;
    this.policy = policy;
    this.banPolicy = banPolicy;
    this.ledger = ledger;
    this.offload = offload;
    this.clock = clock;
    this.storage = storage;
    this.sharePublisher = sharePublisher;
    this.maxBatches = Math.max(1, maxBatches);
    this.scheduler = scheduler;
    this.retryDelays = List.copyOf(retryDelays);
    this.ledgerHealth = ledgerHealth;
    invalidIps = metrics.counter("panicmode_action_invalid_ips_total", "IP arguments rejected by the strict parser");
    refusedIps = metrics.counter("panicmode_action_never_block_total", "IPs refused by the never-block policy or whitelist");
    bans = metrics.counter("panicmode_action_bans_total", "Bans applied");
    unbans = metrics.counter("panicmode_action_unbans_total", "Bans lifted (command or expiry)");
    expired = metrics.counter("panicmode_action_ban_expired_total", "Bans lifted because they expired");
    retries = metrics.counter("panicmode_action_ban_retries_total", "Bans tried again after a retryable failure");
    batchSizes = metrics.counter("panicmode_action_ban_batches_total", "Backend calls that applied queued bans together");
    ledgerFailures = metrics.counter("panicmode_action_ledger_failures_total",
        "Block ledger writes that failed (the bans stayed in force, kept in memory)");
    reconciled = metrics.counter("panicmode_action_bans_reconciled_total",
        "Bans the ledger held that storage had not acknowledged, sent again at start");
    metrics.gauge("panicmode_action_active_bans", "Bans in force on this host", active::size);
    metrics.gauge("panicmode_action_ban_queue", "Ban requests waiting for the next backend call", batchQueue::size);
  }

  private record Restored(List<Ban> keep, List<String> drop, List<BlockLedger.Entry> unrecorded) {}

  private record Sorted(List<String> allowed, List<String> invalid, List<String> refused) {}

  private Sorted sort(List<String> raw) {
    Set<String> allowed = new LinkedHashSet<>();
    List<String> invalid = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (String text : raw) {
      IpPolicy.Decision d = policy.decide(text);
      if (d.canonical() == null) {
        invalidIps.increment();
        invalid.add(printable(text));
      } else if (!d.allowed()) {
        refusedIps.increment();
        refusalLog.refused(d.canonical(), d.refusal());
        refused.add(d.canonical() + " (" + d.refusal() + ")");
      } else {
        allowed.add(d.canonical());
      }
    }
    return new Sorted(List.copyOf(allowed), invalid, refused);
  }

  public Future<Outcome> block(List<String> raw, BanRequest req) {
    if (!enabled) return Future.succeededFuture(Outcome.skipped("firewall disabled (firewall.enabled: false)"));
    Sorted s = sort(raw);
    if (s.allowed().isEmpty()) return Future.succeededFuture(nothingToDo(s));
    return serialized(s.allowed(), () -> {
      Waiting w = new Waiting(s, req);
      batchQueue.add(w);
      nextBatch();
      return w.done.future();
    });
  }

  /**
   * A ban request waiting for a batch: the IPs still to apply, the rows applied so far, attempts
   * made. Touched on the event loop only. The queue of these is bounded by its callers: the
   * action guard (which admits up to {@code circuit_breakers.max_queued} block_ip calls), the
   * shared-ban limit, and the retries of those.
   */
  private static final class Waiting {
    final Sorted sorted;
    final BanRequest req;
    final Promise<Outcome> done = Promise.promise();
    final List<BlockLedger.Entry> applied = new ArrayList<>();
    List<String> remaining;
    int attempts;
    FirewallException failure;
    String recordingProblem;

    Waiting(Sorted sorted, BanRequest req) {
      this.sorted = sorted;
      this.req = req;
      this.remaining = sorted.allowed();
    }
  }

  /** What one batch did, from the worker back to the event loop. */
  private record BatchResult(List<BlockLedger.Entry> applied, Set<String> failedIps, FirewallException failure,
                             String recordingProblem) {}

  /**
   * Applies waiting ban requests together, each batch in one backend call (one nft transaction;
   * one script run per IP, started in arrival order), with at most {@code maxBatches} calls at
   * once: while they run, the next requests gather behind them, so a burst of attackers costs a
   * few backend calls, not one each, and one slow call does not hold up the other bans.
   */
  private void nextBatch() {
    while (batchesRunning < maxBatches && !batchQueue.isEmpty()) startBatch();
  }

  private void startBatch() {
    batchesRunning++;
    List<Waiting> batch = new ArrayList<>();
    int ips = 0;
    while (!batchQueue.isEmpty() && (batch.isEmpty() || ips + batchQueue.peek().remaining.size() <= MAX_BATCH_IPS)) {
      Waiting w = batchQueue.poll();
      batch.add(w);
      ips += w.remaining.size();
    }
    long now = clock.millis();
    // Bans in force now (taken on the event loop; serialized() keeps them current for these IPs).
    Map<String, Long> inForce = new HashMap<>();
    Set<String> permanent = new HashSet<>();
    for (Waiting w : batch) {
      for (String ip : w.remaining) {
        if (!active.containsKey(ip)) continue;
        Long exp = active.get(ip);
        if (exp == null) permanent.add(ip);
        else if (exp > now) inForce.put(ip, exp);
      }
    }
    List<Request> requests = batch.stream().map(w -> new Request(w.remaining, w.req)).toList();
    batchSizes.increment();
    // Ban first: where the backend needs only the IPs, its programs start here, before the ledger
    // lookup and without waiting for a worker thread; the worker then waits for them and records.
    List<String> ipsInOrder = new ArrayList<>();
    requests.forEach(r -> ipsInOrder.addAll(r.ips()));
    Firewall.Started started;
    try {
      started = firewall.startBlock(ipsInOrder);
    } catch (RuntimeException e) {
      LOG.warn("could not start the bans of {} at once ({}); applying them on a worker", ipsInOrder, e.toString());
      started = null;
    }
    Firewall.Started launched = started;
    offload.run(() -> applyBatch(requests, now, inForce, permanent, launched)).onComplete(ar -> {
      BatchResult r = ar.succeeded() ? ar.result()
          : new BatchResult(List.of(), allIps(batch), new FirewallException(String.valueOf(ar.cause()), true), null);
      settle(batch, r);
      batchesRunning--;
      nextBatch();
    });
  }

  private record Request(List<String> ips, BanRequest req) {}

  private static Set<String> allIps(List<Waiting> batch) {
    Set<String> all = new HashSet<>();
    batch.forEach(w -> all.addAll(w.remaining));
    return all;
  }

  /**
   * On a worker: one backend call for the whole batch (or the wait for the bans {@code started}
   * already), then one ledger transaction.
   */
  private BatchResult applyBatch(List<Request> requests, long now, Map<String, Long> inForce, Set<String> permanent,
                                 Firewall.Started started) {
    List<Ban> toApply = new ArrayList<>();
    List<BlockLedger.Entry> rows = new ArrayList<>();
    String recordingProblem = null;
    for (Request r : requests) {
      for (String ip : r.ips()) {
        // A ban still in force is refreshed, not escalated: only a return after it ended is a
        // repeat offence (otherwise every peer sharing the same ban would push it to the maximum).
        boolean renewing = permanent.contains(ip) || inForce.containsKey(ip);
        int prior;
        try {
          prior = ledger.priorCount(ip);
        } catch (SQLException e) {
          prior = 0;
          recordingProblem = "block ledger unreadable: " + e.getMessage();
        }
        int count = Math.max(1, prior + (renewing ? 0 : 1));
        Long exp = permanent.contains(ip) ? null : banPolicy.expiresAt(now, count, r.req().requestedSecs());
        if (exp != null && inForce.containsKey(ip)) exp = Math.max(exp, inForce.get(ip));
        toApply.add(new Ban(ip, exp));
        rows.add(new BlockLedger.Entry(ip, now, exp, r.req().reason(), r.req().incidentId(), count, true,
            StorageWrite.blockId(r.req().commandId(), ip)));
      }
    }
    FirewallException failure = null;
    Set<String> failedIps = Set.of();
    try {
      if (started != null) started.await();
      else firewall.block(toApply, now);
    } catch (FirewallException e) {
      failure = e;
      failedIps = Set.copyOf(e.failedIps().isEmpty() ? toApply.stream().map(Ban::ip).toList() : e.failedIps());
    }
    Set<String> failedFinal = failedIps;
    List<BlockLedger.Entry> applied = rows.stream().filter(r -> !failedFinal.contains(r.ip())).toList();
    if (!applied.isEmpty()) {
      try {
        ledger.recordBans(applied);
      } catch (SQLException e) {
        // The ban is in force all the same; expiry runs from memory and the record follows later.
        recordingProblem = "block ledger write failed: " + e.getMessage();
      }
    }
    return new BatchResult(applied, failedFinal, failure, recordingProblem);
  }

  /** On the event loop: takes the applied bans into force, retries what failed for a retryable reason. */
  private void settle(List<Waiting> batch, BatchResult r) {
    Map<String, Waiting> byIp = new HashMap<>();
    for (Waiting w : batch) w.remaining.forEach(ip -> byIp.put(ip, w));
    if (r.recordingProblem() != null) {
      ledgerFailures.increment();
      LOG.warn("{}; {} bans kept in memory, their expiry still runs", r.recordingProblem(), r.applied().size());
      ledgerHealth.accept(r.recordingProblem());
    } else if (!r.applied().isEmpty()) {
      ledgerHealth.accept(null);
    }
    for (BlockLedger.Entry e : r.applied()) {
      Waiting w = byIp.get(e.ip());
      active.put(e.ip(), e.expiresAt());
      bans.increment();
      w.applied.add(e);
      if (r.recordingProblem() != null) w.recordingProblem = r.recordingProblem();
      BlockRecord rec = new BlockRecord(host, e.ip(), e.blockedAt(), e.expiresAt(), e.reason(), e.incidentId(), e.count());
      report(new StorageWrite(e.writeId(), StorageWrite.Kind.BLOCK, rec.toJson()));
      if (!w.req.shared()) sharePublisher.accept(rec);
    }
    for (Waiting w : batch) {
      w.attempts++;
      w.remaining = w.remaining.stream().filter(r.failedIps()::contains).toList();
      if (w.remaining.isEmpty()) {
        w.done.complete(outcome(w));
        continue;
      }
      w.failure = r.failure();
      if (r.failure().retryable() && w.attempts <= retryDelays.size()) {
        retries.increment();
        long delay = retryDelays.get(w.attempts - 1).toMillis();
        LOG.info("ban of {} failed ({}); attempt {} in {} ms", w.remaining, r.failure().getMessage(), w.attempts + 1, delay);
        scheduler.after(delay, () -> {
          batchQueue.add(w);
          nextBatch();
        });
      } else {
        w.done.complete(outcome(w));
      }
    }
  }

  private Outcome outcome(Waiting w) {
    // In the command's order, whichever attempt applied each IP.
    Set<String> applied = new HashSet<>();
    w.applied.forEach(e -> applied.add(e.ip()));
    List<String> affected = w.sorted.allowed().stream().filter(applied::contains).toList();
    FirewallException failure = w.remaining.isEmpty() ? null : w.failure;
    String tries = w.attempts > 1 ? " (after " + w.attempts + " attempts)" : "";
    if (failure != null && affected.isEmpty()) {
      return Outcome.failed(firewall.name() + ": " + failure.getMessage() + tries, failure.retryable());
    }
    List<String> parts = new ArrayList<>();
    String n = notes(w.sorted, failure);
    if (!n.isEmpty()) parts.add(n + (failure != null ? tries : ""));
    if (w.recordingProblem != null) parts.add("applied; recording pending (" + w.recordingProblem + ")");
    return Outcome.done(affected, String.join("; ", parts));
  }

  /** Sends a ban record to storage; once storage (or the persistent outbox) has it, the ledger notes it. */
  private void report(StorageWrite w) {
    storage.send(w).onSuccess(v -> {
      recordedIds.add(w.id());
      flushRecorded();
    });
  }

  /** Marks acknowledged writes in the ledger, many per transaction, one flush at a time. */
  private void flushRecorded() {
    if (flushingRecorded || recordedIds.isEmpty()) return;
    flushingRecorded = true;
    List<String> ids = List.copyOf(recordedIds);
    recordedIds.clear();
    offload.run(() -> {
      ledger.markRecorded(ids);
      return null;
    }).onComplete(ar -> {
      // Unmarked rows are only sent again at the next start, where storage recognises their ids.
      if (ar.failed()) LOG.debug("could not mark {} ban records as stored: {}", ids.size(), ar.cause().getMessage());
      flushingRecorded = false;
      flushRecorded();
    });
  }

  public Future<Outcome> unblock(List<String> raw, String commandId, String by, String reason) {
    if (!enabled) return Future.succeededFuture(Outcome.skipped("firewall disabled (firewall.enabled: false)"));
    Set<String> ips = new LinkedHashSet<>();
    List<String> invalid = new ArrayList<>();
    for (String text : raw) {
      var c = io.panicmode.contracts.net.StrictIp.canonical(text);
      if (c.isPresent()) ips.add(c.get());
      else {
        invalidIps.increment();
        invalid.add(printable(text));
      }
    }
    if (ips.isEmpty()) return Future.succeededFuture(Outcome.badInput("no valid IP: " + String.join(", ", invalid)));
    List<String> list = List.copyOf(ips);
    return serialized(list, () -> lift(list, commandId, by, reason)).map(v -> Outcome.done(list,
        invalid.isEmpty() ? "" : "invalid IPs ignored: " + String.join(", ", invalid)))
        .recover(e -> Future.succeededFuture(Outcome.failed(firewall.name() + ": " + e.getMessage(),
            !(e instanceof FirewallException fe) || fe.retryable())));
  }

  public Future<Outcome> rateLimit(List<String> raw, BanRequest req) {
    if (!enabled) return Future.succeededFuture(Outcome.skipped("firewall disabled (firewall.enabled: false)"));
    Sorted s = sort(raw);
    if (s.allowed().isEmpty()) return Future.succeededFuture(nothingToDo(s));
    long now = clock.millis();
    List<Ban> limits = s.allowed().stream().map(ip -> new Ban(ip, banPolicy.expiresAt(now, 1, req.requestedSecs()))).toList();
    return offload.run(() -> {
      firewall.rateLimit(limits, now);
      return s.allowed();
    }).map(ips -> Outcome.done(ips, notes(s, null)))
        .recover(e -> Future.succeededFuture(Outcome.failed(firewall.name() + ": " + e.getMessage(),
            !(e instanceof FirewallException fe) || fe.retryable())));
  }

  /** Lifts bans whose time is up. Called periodically; a sweep still running makes the next one a no-op. */
  public Future<Integer> expireDue() {
    if (!enabled || sweeping) return Future.succeededFuture(0);
    long now = clock.millis();
    List<String> due = active.entrySet().stream().filter(e -> e.getValue() != null && e.getValue() <= now)
        .map(Map.Entry::getKey).toList();
    if (due.isEmpty()) return Future.succeededFuture(0);
    sweeping = true;
    return serialized(due, () -> {
      // A ban renewed while this sweep waited for its turn is no longer due.
      long at = clock.millis();
      List<String> still = due.stream().filter(ip -> active.containsKey(ip) && active.get(ip) != null && active.get(ip) <= at)
          .toList();
      if (still.isEmpty()) return Future.succeededFuture(0);
      return lift(still, "expiry-" + at, "expiry", "ban expired").map(v -> {
        expired.add(still.size());
        return still.size();
      });
    }).onComplete(ar -> sweeping = false);
  }

  /**
   * Runs {@code op} once every earlier ban/unban/expiry touching any of these IPs has finished,
   * so that an expiry sweep can never lift a ban renewed at the same moment, nor an unban
   * overtake the ban it is meant to lift. Operations on other IPs still run in parallel.
   */
  private <T> Future<T> serialized(List<String> ips, java.util.function.Supplier<Future<T>> op) {
    List<Future<?>> before = new ArrayList<>();
    for (String ip : ips) {
      Future<?> f = pending.get(ip);
      if (f != null) before.add(f);
    }
    Future<T> mine = Future.join(before).transform(ar -> op.get());
    for (String ip : ips) pending.put(ip, mine);
    mine.onComplete(ar -> ips.forEach(ip -> pending.remove(ip, mine)));
    return mine;
  }

  private Future<Void> lift(List<String> ips, String writeId, String by, String reason) {
    long now = clock.millis();
    return offload.run(() -> {
      firewall.unblock(ips);
      try {
        ledger.deactivate(ips);
        return (String) null;
      } catch (SQLException e) {
        // Lifted all the same; a ledger row left active has expired and is dropped at the next start.
        return "block ledger write failed: " + e.getMessage();
      }
    }).map(problem -> {
      if (problem != null) {
        ledgerFailures.increment();
        LOG.warn("{}; {} bans lifted anyway", problem, ips.size());
        ledgerHealth.accept(problem);
      }
      for (String ip : ips) {
        active.remove(ip);
        unbans.increment();
        storage.send(unblockWrite(writeId, ip, now, by, reason));
      }
      return null;
    });
  }

  /**
   * Takes over the ledger's active bans at start. With {@code reapply} (restore_on_startup) they
   * are applied again in one backend call; without it they are only tracked, so that their expiry
   * is still carried out. Either way, bans that expired while we were down, and bans the current
   * policy refuses (the whitelist may have grown), are lifted. Bans kept whose storage record was
   * never acknowledged (storage was down, or the process died between ban and report) are sent to
   * storage again under their original write id, so storage ends up holding every ban in force.
   */
  public Future<Integer> restore(boolean reapply) {
    if (!enabled) return Future.succeededFuture(0);
    long now = clock.millis();
    return offload.run(() -> {
      List<BlockLedger.Entry> rows = ledger.active();
      List<Ban> keep = new ArrayList<>();
      List<String> drop = new ArrayList<>();
      for (BlockLedger.Entry e : rows) {
        boolean expiredNow = e.expiresAt() != null && e.expiresAt() <= now;
        if (expiredNow || !policy.decide(e.ip()).allowed()) drop.add(e.ip());
        else keep.add(new Ban(e.ip(), e.expiresAt()));
      }
      if (reapply && !keep.isEmpty()) firewall.restore(keep, now);
      if (!drop.isEmpty()) {
        ledger.deactivate(drop);
        try {
          firewall.unblock(drop);
        } catch (FirewallException e) {
          LOG.warn("could not lift {} stale bans at restore: {}", drop.size(), e.getMessage());
        }
      }
      Set<String> kept = new HashSet<>();
      keep.forEach(b -> kept.add(b.ip()));
      List<BlockLedger.Entry> unrecorded;
      try {
        unrecorded = ledger.unrecorded().stream().filter(e -> e.active() && kept.contains(e.ip())).toList();
      } catch (SQLException e) {
        LOG.warn("could not read which bans storage lacks: {}", e.getMessage());
        unrecorded = List.of();
      }
      return new Restored(keep, drop, unrecorded);
    }).map(r -> {
      for (BlockLedger.Entry e : r.unrecorded()) {
        reconciled.increment();
        report(new StorageWrite(e.writeId(), StorageWrite.Kind.BLOCK,
            new BlockRecord(host, e.ip(), e.blockedAt(), e.expiresAt(), e.reason(), e.incidentId(), e.count()).toJson()));
      }
      List<Ban> keep = r.keep();
      List<String> drop = r.drop();
      keep.forEach(b -> active.put(b.ip(), b.expiresAtMillis()));
      drop.forEach(ip -> storage.send(unblockWrite("restore-" + now, ip, now, "restore", "expired or now whitelisted")));
      LOG.info("{} {} bans with the {} backend ({} stale bans lifted, {} sent to storage again)",
          reapply ? "restored" : "tracking", keep.size(), firewall.name(), drop.size(), r.unrecorded().size());
      return keep.size();
    });
  }

  private StorageWrite unblockWrite(String writeId, String ip, long at, String by, String reason) {
    JsonObject payload = new JsonObject().put("host", host).put("ip", ip).put("at", at).put("by", by).put("reason", reason);
    return new StorageWrite("unblock:" + writeId + ":" + ip, StorageWrite.Kind.UNBLOCK, payload);
  }

  private static Outcome nothingToDo(Sorted s) {
    if (s.refused().isEmpty()) return Outcome.badInput("no valid IP: " + String.join(", ", s.invalid()));
    return Outcome.skipped(notes(s, null));
  }

  private static String notes(Sorted s, FirewallException failure) {
    List<String> parts = new ArrayList<>();
    if (!s.refused().isEmpty()) parts.add("not blocked: " + String.join(", ", s.refused()));
    if (!s.invalid().isEmpty()) parts.add("invalid IPs rejected: " + String.join(", ", s.invalid()));
    if (failure != null) parts.add("failed for " + failure.failedIps() + ": " + failure.getMessage());
    return String.join("; ", parts);
  }

  /** Attacker text in a reason: control and non-ASCII characters escaped, length capped. */
  static String printable(String text) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < text.length() && sb.length() < 64; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') sb.append(c);
      else sb.append(String.format("\\u%04x", (int) c));
    }
    if (sb.length() >= 64) sb.append("...");
    return sb.append('"').toString();
  }
}
