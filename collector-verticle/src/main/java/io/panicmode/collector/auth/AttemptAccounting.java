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

  /** Connection flag: something on this connection has counted. */
  private static final byte COUNTED = 1;
  /** A PAM line counted; the Failed line of the same attempt is still to come. */
  private static final byte PAM_PENDING = 2;
  /** Invalid user / not allowed counted; the attempt it announced is still to come. */
  private static final byte START_PENDING = 4;

  private final AuthMode mode;
  // One connection per slot, kept in parallel arrays: no object per connection, so a log of a
  // million short connections allocates nothing here. Slots 2k and 2k+1 form set k.
  private final long[] pids = new long[MAX_CONNECTIONS];
  private final String[] ips = new String[MAX_CONNECTIONS];
  private final long[] lastMillis = new long[MAX_CONNECTIONS];
  private final byte[] flags = new byte[MAX_CONNECTIONS];

  public AttemptAccounting(AuthMode mode) { this.mode = mode; }

  public AuthMode mode() { return mode; }

  /** The slot of {@code pid}'s connection, emptied when it is unknown, from another address, or idle too long. */
  private int lookup(long pid, String ip, long t) {
    long h = pid * 0x9E3779B97F4A7C15L;
    int a = ((int) (h >>> 40) & (MAX_CONNECTIONS / 2 - 1)) * 2;
    int b = a + 1;
    int slot;
    if (pids[a] == pid && ips[a] != null) slot = a;
    else if (pids[b] == pid && ips[b] != null) slot = b;
    else slot = ips[a] == null ? a : ips[b] == null ? b : lastMillis[a] <= lastMillis[b] ? a : b;
    if (ips[slot] == null || pids[slot] != pid || !ips[slot].equals(ip) || Math.abs(t - lastMillis[slot]) > IDLE_MILLIS) {
      pids[slot] = pid;
      ips[slot] = ip;
      flags[slot] = 0;
    }
    lastMillis[slot] = t;
    return slot;
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
    int c = lookup(f.pid(), f.ip(), t);
    int was = flags[c];
    switch (role) {
      case PAM -> {
        if ((was & PAM_PENDING) != 0) return n - 1;
        if ((was & START_PENDING) != 0) {
          flags[c] = (byte) ((was & ~START_PENDING) | PAM_PENDING);
          return n - 1;
        }
        flags[c] = (byte) (was | PAM_PENDING | COUNTED);
        return n;
      }
      case ATTEMPT -> {
        if ((was & (PAM_PENDING | START_PENDING)) != 0) {
          flags[c] = (byte) (was & ~(PAM_PENDING | START_PENDING));
          return n - 1;
        }
        flags[c] = (byte) (was | COUNTED);
        return n;
      }
      case CONNECTION_START -> {
        flags[c] = (byte) ((was & ~PAM_PENDING) | COUNTED | START_PENDING);
        return n;
      }
      default -> {
        // CONNECTION_END, KEY_OFFER, CLOSE: the connection as a whole.
        if ((was & COUNTED) != 0) return 0;
        flags[c] = (byte) (was | COUNTED);
        return 1;
      }
    }
  }
}
