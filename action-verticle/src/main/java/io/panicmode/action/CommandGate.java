package io.panicmode.action;

import io.panicmode.config.ActionKind;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.runtime.CommandSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every command passes here before anything is done. Checks, in order: the op is one of the
 * closed set with a well-formed argument; the command is for this host; fields fit the op
 * (IPs for IP ops and only there, sizes bounded; the detector attaches an incident's processes
 * to every command, so ops that take none ignore them); then, on a clustered
 * event bus, authentication: an HMAC-SHA256 signature by this host's command key with
 * {@code issuedBy = "detector"}, or by the fleet's operator key with {@code issuedBy = "operator"}
 * (operators may only block, unblock and thaw); {@code issuedAt} within {@code maxAge} of now;
 * and a command id not seen before. Ids are remembered only after the signature is verified, so
 * forged commands cannot fill the replay memory; the action role also persists them
 * ({@link SeenCommandLog}) and hands them back through {@link #remember} after a restart.
 * Not thread-safe: event loop only.
 */
public final class CommandGate {
  /** Why a command was refused; {@code label} is the metrics label. */
  public record Rejection(String label, String reason) {}

  static final int MAX_IPS = 10_000;
  static final int MAX_PROCESSES = 10_000;
  static final int MAX_TEXT = 4096;

  /** For the refusal message: what the action table lets operators ask for. */
  private static final String OPERATOR_ACTIONS = String.join(", ", Arrays.stream(ActionKind.values())
      .filter(ActionKind::operatorAllowed).map(ActionKind::wire).toList());

  private final String host;
  private final boolean clustered;
  private final CommandSigner commandKey;
  private final CommandSigner operatorKey;
  private final Clock clock;
  private final long maxAgeMs;
  private final int replayCap;
  /** command id → issuedAt, oldest first. */
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

  public CommandGate(String host, boolean clustered, CommandSigner commandKey, CommandSigner operatorKey, Clock clock,
                     Duration maxAge, int replayCap) {
    this.host = host;
    this.clustered = clustered;
    this.commandKey = commandKey;
    this.operatorKey = operatorKey;
    this.clock = clock;
    this.maxAgeMs = maxAge.toMillis();
    this.replayCap = replayCap;
  }

  /** Ids accepted before a restart (from the {@link SeenCommandLog}), so their replays are refused too. */
  public void remember(Map<String, Long> accepted) {
    accepted.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> seen.put(e.getKey(), e.getValue()));
  }

  /** The parsed op, or the rejection. */
  public Optional<Rejection> check(ActionCommand c, Optional<ActionKind.Named> parsed) {
    if (parsed.isEmpty()) return reject("unknown_op", "unknown or malformed operation \"" + printable(c.op()) + "\"");
    ActionKind op = parsed.get().kind();
    if (!c.host().equals(host)) return reject("wrong_host", "command for host " + c.host() + ", this is " + host);
    if (c.incident() != null && !c.incident().host().equals(host)) {
      return reject("wrong_host", "incident of host " + c.incident().host() + ", this is " + host);
    }
    boolean takesIps = op.subjects() == ActionKind.Subjects.IPS;
    if (takesIps && c.ips().isEmpty()) return reject("malformed", op.wire() + " needs at least one IP");
    if (!takesIps && !c.ips().isEmpty()) return reject("malformed", op.wire() + " takes no IPs");
    if (c.ips().size() > MAX_IPS || c.processes().size() > MAX_PROCESSES) return reject("malformed", "too many subjects");
    if (c.reason().length() > MAX_TEXT || c.id().length() > 128) return reject("malformed", "reason or id too long");
    if (clustered) {
      Optional<Rejection> auth = authenticate(c, op);
      if (auth.isPresent()) return auth;
      long now = clock.millis();
      if (Math.abs(now - c.issuedAt()) > maxAgeMs) {
        return reject("stale", "issuedAt " + c.issuedAt() + " is more than " + maxAgeMs + " ms from now");
      }
      prune(now);
    }
    if (seen.containsKey(c.id())) return reject("replay", "command id already seen: " + printable(c.id()));
    seen.put(c.id(), c.issuedAt());
    while (seen.size() > replayCap) {
      Iterator<String> it = seen.keySet().iterator();
      it.next();
      it.remove();
    }
    return Optional.empty();
  }

  private Optional<Rejection> authenticate(ActionCommand c, ActionKind op) {
    if (c.signature().isEmpty()) return reject("unauthenticated", "unsigned command on a clustered event bus");
    switch (c.issuedBy()) {
      case "detector" -> {
        if (commandKey == null || !commandKey.verify(c)) return reject("unauthenticated", "bad detector signature");
      }
      case "operator" -> {
        if (operatorKey == null || !operatorKey.verify(c)) return reject("unauthenticated", "bad operator signature");
        if (!op.operatorAllowed()) return reject("forbidden", "operators may only " + OPERATOR_ACTIONS);
      }
      default -> {
        return reject("unauthenticated", "unknown issuer \"" + printable(c.issuedBy()) + "\"");
      }
    }
    return Optional.empty();
  }

  /** Drops remembered ids too old to pass the freshness check anyway. */
  private void prune(long now) {
    Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      if (now - e.getValue() > 2 * maxAgeMs) it.remove();
      else break;
    }
  }

  private static Optional<Rejection> reject(String label, String reason) {
    return Optional.of(new Rejection(label, reason));
  }

  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char ch = s.charAt(i);
      sb.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
    }
    return s.length() > 64 ? sb + "..." : sb.toString();
  }
}
