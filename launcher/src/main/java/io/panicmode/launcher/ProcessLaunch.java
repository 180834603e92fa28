package io.panicmode.launcher;

import java.util.Locale;
import java.util.Properties;

/**
 * Chooses how the JVM starts programs (block scripts, nft, hooks), before the first one starts.
 * JDK 17's default on Linux, posix_spawn, first runs the JDK's helper {@code jspawnhelper}, which
 * then runs the program: two execs and a pipe handshake for every ban, 1–10 ms on a loaded host
 * and the largest part of the time from the log line to the block script
 * (bench/sshd-latency.sh). vfork runs the program directly. Later JDKs deprecate vfork, so they
 * keep their default; an operator's own {@code -Djdk.lang.Process.launchMechanism} always wins.
 */
final class ProcessLaunch {
  static final String PROPERTY = "jdk.lang.Process.launchMechanism";
  /** The last JDK feature release that supports vfork without deprecation. */
  static final int LAST_VFORK_FEATURE = 21;

  private ProcessLaunch() {}

  /** Sets {@link #PROPERTY} to VFORK in {@code props} on Linux JDKs up to 21 unless already set. */
  static void preferVfork(Properties props, String osName, int jdkFeature) {
    if (props.getProperty(PROPERTY) != null) return;
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux") || jdkFeature > LAST_VFORK_FEATURE) return;
    props.setProperty(PROPERTY, "VFORK");
  }
}
