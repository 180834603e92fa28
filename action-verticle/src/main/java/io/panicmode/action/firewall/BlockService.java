package io.panicmode.action.firewall;

import io.panicmode.action.Offload;
import io.panicmode.action.Outcome;
import io.panicmode.action.StorageReporter;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
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
 * through {@link IpPolicy} first; only canonical, allowed IPs reach the {@link Firewall}. Each
 * applied or lifted ban is written to the local {@link BlockLedger}, reported to storage and,
 * for bans decided here, handed to {@code sharePublisher} (fleet ban sharing).
 */
public final class BlockService {
  private static final Logger LOG = LoggerFactory.getLogger(BlockService.class);

  /** Who asked and why. {@code shared} bans came from another host and are never passed on again. */
  public record BanRequest(String commandId, long requestedSecs, String reason, String incidentId, boolean shared) {}

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
  /** Active bans by IP: expiry in epoch millis, or null for permanent. Touched on the event loop only. */
  private final Map<String, Long> active = new HashMap<>();
  private boolean sweeping;
  /** The last ban/unban/expiry in flight per IP (event loop only); see {@link #serialized}. */
  private final Map<String, Future<?>> pending = new HashMap<>();

  private final LongAdder invalidIps;
  private final LongAdder refusedIps;
  private final RefusalLog refusalLog = new RefusalLog();
  private final LongAdder bans;
  private final LongAdder unbans;
  private final LongAdder expired;

  public BlockService(String host, boolean enabled, Firewall firewall, IpPolicy policy, BanPolicy banPolicy,
                      BlockLedger ledger, Offload offload, Clock clock, StorageReporter storage,
                      Consumer<BlockRecord> sharePublisher, MetricsRegistry metrics) {
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
    invalidIps = metrics.counter("panicmode_action_invalid_ips_total", "IP arguments rejected by the strict parser");
    refusedIps = metrics.counter("panicmode_action_never_block_total", "IPs refused by the never-block policy or whitelist");
    bans = metrics.counter("panicmode_action_bans_total", "Bans applied");
    unbans = metrics.counter("panicmode_action_unbans_total", "Bans lifted (command or expiry)");
    expired = metrics.counter("panicmode_action_ban_expired_total", "Bans lifted because they expired");
    metrics.gauge("panicmode_action_active_bans", "Bans in force on this host", active::size);
  }

  private record Applied(List<BlockLedger.Entry> stored, FirewallException failure) {}

  private record Restored(List<Ban> keep, List<String> drop) {}

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
    return serialized(s.allowed(), () -> apply(s, req));
  }

  private Future<Outcome> apply(Sorted s, BanRequest req) {
    long now = clock.millis();
    // Bans in force now (taken on the event loop; serialized() keeps them current for these IPs).
    Map<String, Long> inForce = new HashMap<>();
    Set<String> permanent = new java.util.HashSet<>();
    for (String ip : s.allowed()) {
      if (!active.containsKey(ip)) continue;
      Long exp = active.get(ip);
      if (exp == null) permanent.add(ip);
      else if (exp > now) inForce.put(ip, exp);
    }
    return offload.run(() -> {
      List<Ban> toApply = new ArrayList<>();
      List<BlockLedger.Entry> rows = new ArrayList<>();
      for (String ip : s.allowed()) {
        // A ban still in force is refreshed, not escalated: only a return after it ended is a
        // repeat offence (otherwise every peer sharing the same ban would push it to the maximum).
        boolean renewing = permanent.contains(ip) || inForce.containsKey(ip);
        int count = Math.max(1, ledger.priorCount(ip) + (renewing ? 0 : 1));
        Long exp = permanent.contains(ip) ? null : banPolicy.expiresAt(now, count, req.requestedSecs());
        if (exp != null && inForce.containsKey(ip)) exp = Math.max(exp, inForce.get(ip));
        toApply.add(new Ban(ip, exp));
        rows.add(new BlockLedger.Entry(ip, now, exp, req.reason(), req.incidentId(), count, true));
      }
      FirewallException failure = null;
      Set<String> failedIps = Set.of();
      try {
        firewall.block(toApply, now);
      } catch (FirewallException e) {
        failure = e;
        failedIps = Set.copyOf(e.failedIps().isEmpty() ? s.allowed() : e.failedIps());
      }
      Set<String> failedFinal = failedIps;
      List<BlockLedger.Entry> applied = rows.stream().filter(r -> !failedFinal.contains(r.ip())).toList();
      List<BlockLedger.Entry> stored = applied.isEmpty() ? List.of() : ledger.recordBans(applied);
      return new Applied(stored, failure);
    }).map(applied -> {
      List<BlockLedger.Entry> stored = applied.stored();
      FirewallException failure = applied.failure();
      List<String> affected = new ArrayList<>();
      for (BlockLedger.Entry e : stored) {
        active.put(e.ip(), e.expiresAt());
        bans.increment();
        affected.add(e.ip());
        BlockRecord rec = new BlockRecord(host, e.ip(), e.blockedAt(), e.expiresAt(), e.reason(), e.incidentId(), e.count());
        storage.send(StorageWrite.block(rec, req.commandId()));
        if (!req.shared()) sharePublisher.accept(rec);
      }
      if (failure != null && affected.isEmpty()) return Outcome.failed(firewall.name() + ": " + failure.getMessage(), failure.retryable());
      String note = notes(s, failure);
      return Outcome.done(affected, note);
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
      ledger.deactivate(ips);
      return null;
    }).map(v -> {
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
   * policy refuses (the whitelist may have grown), are lifted.
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
      return new Restored(keep, drop);
    }).map(r -> {
      List<Ban> keep = r.keep();
      List<String> drop = r.drop();
      keep.forEach(b -> active.put(b.ip(), b.expiresAtMillis()));
      drop.forEach(ip -> storage.send(unblockWrite("restore-" + now, ip, now, "restore", "expired or now whitelisted")));
      LOG.info("{} {} bans with the {} backend ({} stale bans lifted)", reapply ? "restored" : "tracking", keep.size(),
          firewall.name(), drop.size());
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
