package io.panicmode.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP → config reload. A process started under {@code nohup} inherits SIGHUP as ignored, and the
 * JVM then refuses to install a handler (it keeps the ignored disposition), so reload by signal
 * cannot work; this says so at start instead of failing silently on the first {@code kill -HUP}.
 */
final class ReloadSignal {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);
  static final String IGNORED_WARNING = "SIGHUP is ignored by this process (inherited, e.g. started under nohup): "
      + "kill -HUP will NOT reload the config. Reload with `panicmode ctl reload` (local socket, no token) or "
      + "POST /api/v1/reload, or restart; to get SIGHUP reloads, start without nohup (systemd, setsid).";

  private ReloadSignal() {}

  /** Installs the handler; returns false (after logging why) when SIGHUP is ignored and cannot be handled. */
  static boolean install(Runnable reload) {
    SignalHandler previous = Signal.handle(new Signal("HUP"), s -> reload.run());
    if (previous == SignalHandler.SIG_IGN) {
      LOG.warn(IGNORED_WARNING);
      return false;
    }
    return true;
  }
}
