package io.panicmode.action.process;

import io.panicmode.action.exec.ProcessRunner;
import io.panicmode.contracts.ProcessRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a signal to processes named by (pid, start time). Right before signalling, each pid's
 * current start time is read again; a pid that now belongs to another process (recycled) or is
 * gone is reported stale and never signalled. The JDK cannot send SIGSTOP/SIGCONT, so the signal
 * goes through {@code kill} (absolute path, argv only, one run for the whole batch). The window
 * between the check and the signal is that one program start; pidfd_send_signal would close it
 * but is not reachable from Java 17 without native code.
 */
public final class Signaller {
  /** Per batch: the processes signalled, those skipped as stale, and an error if kill failed. */
  public record Result(List<ProcessRef> signalled, List<ProcessRef> stale, String error) {}

  private final ProcessSource source;
  private final String killPath;

  public Signaller(ProcessSource source, String killPath) {
    this.source = source;
    this.killPath = killPath;
  }

  /** @param signal STOP, CONT or KILL */
  public Result signal(List<ProcessRef> refs, String signal) {
    if (!List.of("STOP", "CONT", "KILL").contains(signal)) throw new IllegalArgumentException("signal " + signal);
    List<ProcessRef> live = new ArrayList<>();
    List<ProcessRef> stale = new ArrayList<>();
    for (ProcessRef r : refs) {
      Optional<ProcInfo> now = source.read(r.pid());
      if (now.isPresent() && now.get().startTime() == r.startTime()) live.add(r);
      else stale.add(r);
    }
    if (live.isEmpty()) return new Result(List.of(), stale, null);
    List<String> argv = new ArrayList<>(List.of(killPath, "-s", signal, "--"));
    live.forEach(r -> argv.add(Integer.toString(r.pid())));
    ProcessRunner.Result r = ProcessRunner.run(argv, Map.of("PATH", ProcessRunner.SAFE_PATH), null, Duration.ofSeconds(5), 4096);
    if (r.ok()) {
      awaitEffect(live, signal);
      return new Result(live, stale, null);
    }
    // kill signals every pid it can and fails for the rest; /proc tells which ones took effect.
    List<ProcessRef> done = new ArrayList<>();
    for (ProcessRef p : live) {
      if (effective(p, signal)) done.add(p);
    }
    return new Result(done, stale, "kill " + r.describe() + ": " + r.output().strip());
  }

  /** Whether /proc shows the signal's effect: stopped, running again, or gone. */
  private boolean effective(ProcessRef p, String signal) {
    Optional<ProcInfo> now = source.read(p.pid()).filter(i -> i.startTime() == p.startTime());
    return switch (signal) {
      case "STOP" -> now.map(i -> i.state() == 'T' || i.state() == 't').orElse(false);
      case "CONT" -> now.map(i -> i.state() != 'T' && i.state() != 't').orElse(false);
      default -> now.map(i -> i.state() == 'Z' || i.state() == 'X').orElse(true);
    };
  }

  /**
   * A signal to a process running on another CPU takes effect a moment after kill returns; wait
   * up to 300 ms so that callers (and a thaw right after a freeze) see the new state.
   */
  private void awaitEffect(List<ProcessRef> refs, String signal) {
    long deadline = System.nanoTime() + 300_000_000L;
    for (ProcessRef p : refs) {
      while (!effective(p, signal) && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
