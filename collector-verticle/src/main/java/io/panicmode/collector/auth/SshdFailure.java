package io.panicmode.collector.auth;

/**
 * One recognised failure line.
 *
 * @param ip       canonical IP, taken at the position sshd writes it
 * @param user     the user name as sshd wrote it (attacker-chosen text, never trusted), "" if none
 * @param port     source port, 0 when the form has none
 * @param pid      the sshd process id of the line, 0 when the line carries none
 * @param tsMillis the line's own timestamp (epoch ms), or -1 when it had none or it was not parsed
 * @param repeats  how many identical lines this one stands for (rsyslog's "message repeated N
 *                 times"), at least 1
 */
public record SshdFailure(AuthKind kind, String ip, String user, int port, long pid, long tsMillis, int repeats) {
  public SshdFailure(AuthKind kind, String ip, String user, int port, long pid, long tsMillis) {
    this(kind, ip, user, port, pid, tsMillis, 1);
  }

  SshdFailure repeated(int n) { return new SshdFailure(kind, ip, user, port, pid, tsMillis, n); }
}
