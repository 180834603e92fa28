package io.panicmode.collector.auth;

/**
 * Turns recognised sshd lines into failures, one failed attempt being one failure.
 *
 * <p>sshd writes several lines for one attempt and several attempts on one connection; each
 * connection is one sshd process, so lines are grouped by pid (and source IP). Within a connection:
 * <ul>
 *   <li>PAM's line of an attempt ({@code pam_unix(sshd:auth): authentication failure}, about two
 *       seconds before sshd's {@code Failed password}) counts at once; the {@code Failed} line and
 *       sshd's own {@code PAM: Authentication failure} line of the same attempt do not;</li>
 *   <li>{@code Invalid user} / {@code not allowed} counts; the connection's next attempt is the
 *       one it announced and does not count again; later attempts do;</li>
 *   <li>lines written when a connection ends (attempt limit reached, the client's own "Auth fail",
 *       a change of user, {@code Failed none}) count only when nothing on that connection counted
 *       yet (the log was started mid-connection, or the attempts were not logged at INFO);</li>
 *   <li>in {@link AuthMode#AGGRESSIVE}, a client hanging up before any attempt and a refused key
 *       count the same way, and pre-authentication noise counts line by line.</li>
 * </ul>
 * Lines without a pid (none in the header) cannot be grouped and count alone. Bounded: a
 * two-way set-associative table of {@value #MAX_CONNECTIONS} connections, indexed by pid, the less
 * recently seen of a pair giving way (no boxing, no resizing: a log of a million connections costs
 * what a log of ten does); a connection idle for longer than {@value #IDLE_MILLIS} ms (sshd's login
 * grace time is two minutes) is forgotten. O(1) per line. Not thread-safe.
 */
public final class AttemptAccounting {
  static final int MAX_CONNECTIONS = 4096;
  static final long IDLE_MILLIS = 600_000;

  private static final class Connection {
    final long pid;
    final String ip;
    long lastMillis;
    /** Something on this connection has counted. */
    boolean counted;
    /** A PAM line counted; the Failed line of the same attempt is still to come. */
    boolean pamPending;
    /** Invalid user / not allowed counted; the attempt it announced is still to come. */
    boolean startPending;

    Connection(long pid, String ip) {
      this.pid = pid;
      this.ip = ip;
    }
  }

  private final AuthMode mode;
  /** Slots 2k and 2k+1 form set k; the pids are kept apart so a lookup reads one small array. */
  private final Connection[] slots = new Connection[MAX_CONNECTIONS];
  private final long[] slotPids = new long[MAX_CONNECTIONS];

  public AttemptAccounting(AuthMode mode) { this.mode = mode; }

  public AuthMode mode() { return mode; }

  /** The connection of {@code pid}, a fresh one when it is unknown, from another address, or idle too long. */
  private Connection lookup(long pid, String ip, long t) {
    long h = pid * 0x9E3779B97F4A7C15L;
    int set = (int) (h >>> 40) & (MAX_CONNECTIONS / 2 - 1);
    int a = set * 2;
    int b = a + 1;
    int slot;
    if (slotPids[a] == pid && slots[a] != null) slot = a;
    else if (slotPids[b] == pid && slots[b] != null) slot = b;
    else slot = slots[a] == null ? a : slots[b] == null ? b : slots[a].lastMillis <= slots[b].lastMillis ? a : b;
    Connection c = slots[slot];
    if (c == null || c.pid != pid || !c.ip.equals(ip) || Math.abs(t - c.lastMillis) > IDLE_MILLIS) {
      c = new Connection(pid, ip);
      slots[slot] = c;
      slotPids[slot] = pid;
    }
    return c;
  }

  /**
   * How many failures {@code f} adds (0 when it belongs to an attempt already counted or is not
   * counted in this mode; up to {@code f.repeats()} for a folded repeat line).
   *
   * @param nowMillis the time to use when the line carries none
   */
  public int failures(SshdFailure f, long nowMillis) {
    AuthKind.Role role = f.kind().role();
    if (!mode.counts(role)) return 0;
    int n = f.repeats();
    if (role == AuthKind.Role.NOISE || role == AuthKind.Role.ALONE || f.pid() == 0) return n;
    long t = f.tsMillis() >= 0 ? f.tsMillis() : nowMillis;
    Connection c = lookup(f.pid(), f.ip(), t);
    c.lastMillis = t;
    switch (role) {
      case PAM -> {
        if (c.pamPending) return n - 1;
        c.pamPending = true;
        if (c.startPending) {
          c.startPending = false;
          return n - 1;
        }
        c.counted = true;
        return n;
      }
      case ATTEMPT -> {
        if (c.pamPending || c.startPending) {
          c.pamPending = false;
          c.startPending = false;
          return n - 1;
        }
        c.counted = true;
        return n;
      }
      case CONNECTION_START -> {
        c.counted = true;
        c.startPending = true;
        c.pamPending = false;
        return n;
      }
      default -> {
        // CONNECTION_END, KEY_OFFER, CLOSE: the connection as a whole.
        if (c.counted) return 0;
        c.counted = true;
        return 1;
      }
    }
  }
}
