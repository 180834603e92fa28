package io.panicmode.action.process;

import io.panicmode.contracts.ProcessRef;

/**
 * One process as read from /proc.
 *
 * @param startTime    field 22 of /proc/PID/stat (clock ticks after boot): with the pid, the identity
 * @param name         comm (at most 15 bytes, chosen by the process itself: never trusted for anything but matching)
 * @param cpuTicks     utime + stime
 * @param kernelThread PF_KTHREAD set in /proc/PID/stat
 * @param cgroup       the cgroup v2 path ("" when unknown)
 */
public record ProcInfo(int pid, int ppid, long startTime, String name, char state, int uid, long cpuTicks,
                       boolean kernelThread, int oomScoreAdj, String cgroup) {
  public ProcessRef ref() { return new ProcessRef(pid, startTime, name); }

  /** "pid:starttime", how results name a process. */
  public String key() { return pid + ":" + startTime; }
}
