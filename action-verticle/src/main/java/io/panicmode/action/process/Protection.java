package io.panicmode.action.process;

import java.util.Optional;
import java.util.Set;

/**
 * Processes no process action ever signals, whatever the command or mass_freeze.yaml says:
 * PanicMode itself and the programs it started, PID 1, kernel threads, processes the kernel's
 * OOM killer must never pick ({@code oom_score_adj = -1000}), and the names an admin needs to get
 * back in and recover: sshd, systemd (and systemd-*), init, kthreadd, dbus (and dbus-*), getty
 * (and agetty and the like), panicmode.
 */
public final class Protection {
  static final Set<String> NAMES = Set.of("sshd", "systemd", "init", "kthreadd", "dbus", "getty", "panicmode");

  private final long selfPid;

  public Protection(long selfPid) { this.selfPid = selfPid; }

  /** Why this process is spared, or empty if it may be signalled. */
  public Optional<String> why(ProcInfo p) {
    if (p.pid() == 1) return Optional.of("pid 1");
    if (p.pid() == selfPid || p.ppid() == selfPid) return Optional.of("PanicMode's own process");
    if (p.kernelThread()) return Optional.of("kernel thread");
    if (p.oomScoreAdj() == -1000) return Optional.of("oom_score_adj -1000");
    if (protectedName(p.name())) return Optional.of("protected name " + p.name());
    return Optional.empty();
  }

  static boolean protectedName(String name) {
    if (NAMES.contains(name)) return true;
    if (name.startsWith("systemd-") || name.startsWith("dbus-") || name.startsWith("sshd-") || name.startsWith("panicmode")) {
      return true;
    }
    return name.endsWith("getty");
  }
}
