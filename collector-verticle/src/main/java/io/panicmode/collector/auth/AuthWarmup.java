package io.panicmode.collector.auth;

import io.panicmode.contracts.AuthEvent;
import io.panicmode.runtime.MetricsRegistry;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/**
 * Runs synthetic sshd lines through a private {@link AuthPipeline} so that the JIT has compiled
 * the parser, the attempt accounting and the event encoding before the first real attacker: real
 * failures arrive a few a minute, too rarely for the code to be compiled by them, and interpreted
 * code costs about a millisecond between a log line and its ban.
 * Touches nothing shared: its own parser, accounting and metrics; events are encoded as the event
 * bus would copy them, then dropped. Sources are from 198.18.0.0/15 (RFC 2544, benchmarking).
 */
public final class AuthWarmup {
  /** Attackers of three wrong passwords each: enough calls for every method to pass the compile threshold. */
  public static final int ATTACKERS = 300;

  private AuthWarmup() {}

  /** Returns the number of events the pipeline produced (so the work is not dead code). */
  public static long run(String host, AuthMode mode, int attackers) {
    long[] events = new long[1];
    AuthPipeline pipeline = new AuthPipeline(host, SshdLineParser.live(ZoneId.systemDefault(), System::currentTimeMillis), mode,
        e -> events[0] += AuthEvent.fromJson(e.toJson().copy()).ip().length() > 0 ? 1 : 0, System::currentTimeMillis, new MetricsRegistry());
    for (int a = 0; a < attackers; a++) {
      String ip = "198.18." + (a >> 8 & 255) + "." + (a & 255);
      for (int attempt = 0; attempt < 3; attempt++) {
        int pid = 100_000 + a * 3 + attempt;
        int port = 40_000 + a;
        line(pipeline, pid, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost="
            + ip + "  user=warmup");
        line(pipeline, pid, "Failed password for warmup from " + ip + " port " + port + " ssh2");
        line(pipeline, pid, "Connection closed by authenticating user warmup " + ip + " port " + port + " [preauth]");
      }
    }
    return events[0];
  }

  private static void line(AuthPipeline pipeline, int pid, String message) {
    byte[] b = ("Jan  1 00:00:00 " + "warmup sshd[" + pid + "]: " + message).getBytes(StandardCharsets.US_ASCII);
    pipeline.syslogLine(b, 0, b.length);
  }
}
