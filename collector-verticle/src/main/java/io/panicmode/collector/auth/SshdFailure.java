package io.panicmode.collector.auth;

/**
 * One recognised failure line.
 *
 * @param ip     canonical IP, taken at the position sshd writes it
 * @param user   the user name as sshd wrote it (attacker-chosen text, never trusted), "" if none
 * @param port   source port, 0 when the form has none
 * @param pid    the sshd process id of the line
 * @param tsMillis the line's own timestamp (epoch ms), or -1 when it had none or it was not parsed
 */
public record SshdFailure(AuthKind kind, String ip, String user, int port, long pid, long tsMillis) {}
