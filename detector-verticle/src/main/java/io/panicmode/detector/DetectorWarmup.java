package io.panicmode.detector;

import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.detector.claims.Claims;
import io.panicmode.detector.claims.MemoryClaimStore;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.MetricsRegistry;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a private {@link DetectorCore}, built from the daemon's own configuration, with synthetic
 * auth failures until its auth rules fire, so that the JIT compiles the path from an auth event to
 * a block command (event decoding, windows, claims, incident, command plan, command encoding and
 * signing) before the first real attacker. Real incidents are rare; left interpreted, that path
 * costs about a millisecond per ban. Nothing leaves the private core: its claims, metrics and
 * clock are its own, and its commands are encoded and decoded as the event bus and the action
 * role would, then dropped. Sources are from 198.18.0.0/15 (RFC 2544, benchmarking).
 */
final class DetectorWarmup {
  /** Attackers that fire: enough calls for every method on the path to pass the compile threshold. */
  static final int ATTACKERS = 300;
  /** Bounds the work whatever the thresholds configured. */
  static final int MAX_EVENTS = 20_000;

  private DetectorWarmup() {}

  /** Returns the number of incidents fired. */
  static long run(PanicConfig cfg, String host, CommandSigner signer, int attackers) {
    ManualClock clock = new ManualClock(System.currentTimeMillis());
    Claims claims = new Claims(new MemoryClaimStore(clock::millis), cfg.detector().maxTrackedSubjects(), new LongAdder());
    Encoder out = new Encoder(signer, clock);
    DetectorCore core = new DetectorCore(cfg, host, clock, claims, out, new MetricsRegistry());
    int events = 0;
    for (int a = 0; a < attackers && events < MAX_EVENTS; a++) {
      String ip = "198.18." + (a >> 8 & 255) + "." + (a & 255);
      long firedBefore = out.fired;
      while (out.fired == firedBefore && events < MAX_EVENTS) {
        clock.set(clock.millis() + 10);
        AuthEvent e = new AuthEvent(host, clock.millis(), ip, "warmup", "failed_password", 40_000 + a);
        core.onAuth(AuthEvent.fromJson(e.toJson().copy()));
        events++;
      }
      if (out.fired == firedBefore) break; // no auth rule fires (none configured, or it never reaches its threshold here)
    }
    return out.fired;
  }

  /** Does to each output what the event bus and its receivers would, without sending anything. */
  private static final class Encoder implements Outputs {
    private final CommandSigner signer;
    private final ManualClock clock;
    long fired;
    long encoded;

    Encoder(CommandSigner signer, ManualClock clock) {
      this.signer = signer;
      this.clock = clock;
    }

    @Override
    public void fired(Incident incident, List<ActionCommand> commands) {
      fired++;
      for (ActionCommand c : commands) {
        ActionCommand sent = signer != null ? signer.sign(c) : c;
        encoded += ActionCommand.fromJson(sent.toJson().copy()).ips().size();
      }
      encoded += StorageWrite.incident(incident).toJson().size();
    }

    @Override
    public void alert(Incident incident) {
      encoded += AlertRequest.of(incident, clock.millis()).toJson().size();
    }

    @Override
    public void resolved(Incident incident, boolean alert) {
      encoded += incident.toJson().size();
    }
  }
}
