package io.panicmode.action;

import io.panicmode.action.firewall.BanPolicy;
import io.panicmode.action.firewall.IpPolicy;
import io.panicmode.config.ActionKind;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.CommandSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Passes synthetic block_ip commands through what a real one meets before its ban is started
 * (decoding, the command gate with signature check where commands are signed, the IP policy, the
 * ban policy, the ban record), so that the JIT compiles it before the first real attacker; see
 * {@code AuthWarmup} and {@code DetectorWarmup} for the earlier stages. Uses a gate of its own, so
 * the real gate's replay memory never sees these ids; {@link IpPolicy#decide} and
 * {@link BanPolicy} only read. Starts no program and writes nothing. Sources are from
 * 198.18.0.0/15 (RFC 2544, benchmarking).
 */
final class ActionWarmup {
  static final int COMMANDS = 300;

  private ActionWarmup() {}

  /** Returns a sum over the results, so the work is not dead code. */
  static long run(String host, boolean clustered, CommandSigner commandKey, IpPolicy policy, BanPolicy banPolicy, int commands) {
    Clock clock = Clock.systemUTC();
    CommandGate gate = new CommandGate(host, clustered, commandKey, null, clock, Duration.ofMinutes(2), commands);
    long sum = 0;
    for (int i = 0; i < commands; i++) {
      String ip = "198.18." + (i >> 8 & 255) + "." + (i & 255);
      long now = clock.millis();
      Incident incident = new Incident("warmup-" + i, host, "warmup", "auth_failures", Severity.CRITICAL, Incident.State.FIRING,
          "warmup exceeded threshold: 3 > 2 (" + ip + ")", ip + "=3", 3, 2, Subjects.ofIps(List.of(ip)), List.of("block_ip"), now,
          null);
      ActionCommand cmd = new ActionCommand("warmup-" + i + ":0:block_ip", host, "block_ip", List.of(ip), List.of(), 0,
          incident.description(), "", incident, "detector", now, "");
      if (commandKey != null) cmd = commandKey.sign(cmd);
      ActionCommand received = ActionCommand.fromJson(cmd.toJson().copy());
      var parsed = ActionKind.parseCommand(received.op(), received.target());
      if (gate.check(received, parsed).isPresent()) continue;
      for (String text : received.ips()) {
        IpPolicy.Decision d = policy.decide(text);
        if (!d.allowed()) continue;
        Long expires = banPolicy.expiresAt(now, 1, received.durationSecs());
        sum += new BlockRecord(host, d.canonical(), now, expires, received.reason(), incident.id(), 1).toJson().size();
      }
    }
    return sum;
  }
}
