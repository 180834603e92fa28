package io.panicmode.collector.proc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure parsers for the small /proc files. Each takes the file's text and returns plain values,
 * so it is tested on literal inputs; reading is the caller's job (with the configurable proc root).
 * Malformed input raises {@link ProcFormatException}: a retry reads the same kernel format, so it
 * does not help.
 */
public final class ProcParsers {
  private ProcParsers() {}

  /** One {@code cpu} line of /proc/stat: busy and total jiffies. Idle counts idle + iowait. */
  public record CpuTimes(long busy, long total) {
    /** Busy % between an earlier sample and this one; NaN when no time passed. */
    public double busyPercentSince(CpuTimes earlier) {
      long dt = total - earlier.total;
      long db = busy - earlier.busy;
      if (dt <= 0) return Double.NaN;
      return clamp(100.0 * db / dt);
    }
  }

  /** /proc/stat: "all" is the aggregate line, then one entry per core keyed by core number. */
  public record Stat(CpuTimes all, Map<String, CpuTimes> cores) {}

  public static Stat parseStat(String text) {
    CpuTimes all = null;
    Map<String, CpuTimes> cores = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("cpu")) continue;
      String[] f = line.trim().split("\\s+");
      if (f.length < 5) throw new ProcFormatException("stat: short cpu line: " + line);
      // user nice system idle iowait irq softirq steal; guest/guest_nice are already inside user/nice.
      long total = 0;
      int n = Math.min(f.length, 9);
      long[] v = new long[9];
      for (int i = 1; i < n; i++) {
        v[i] = parseLong(f[i], "stat");
        total += v[i];
      }
      long idle = v[4] + v[5];
      CpuTimes t = new CpuTimes(total - idle, total);
      if (f[0].equals("cpu")) {
        all = t;
      } else {
        String core = f[0].substring(3);
        if (core.isEmpty() || !core.chars().allMatch(Character::isDigit)) continue;
        cores.put(core, t);
      }
    }
    if (all == null) throw new ProcFormatException("stat: no aggregate cpu line");
    return new Stat(all, cores);
  }

  /** /proc/meminfo as kB values by key. */
  public static Map<String, Long> parseMeminfo(String text) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) continue;
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length == 0 || f[0].isEmpty()) continue;
      out.put(line.substring(0, colon), parseLong(f[0], "meminfo"));
    }
    return out;
  }

  /**
   * RAM used %, 100 * (MemTotal - MemAvailable) / MemTotal. Kernels before 3.14 have no
   * MemAvailable; MemFree + Buffers + Cached is the estimate they offer instead.
   */
  public static double memoryUsedPercent(Map<String, Long> meminfo) {
    Long total = meminfo.get("MemTotal");
    if (total == null || total <= 0) throw new ProcFormatException("meminfo: no MemTotal");
    Long avail = meminfo.get("MemAvailable");
    if (avail == null) {
      avail = meminfo.getOrDefault("MemFree", 0L) + meminfo.getOrDefault("Buffers", 0L) + meminfo.getOrDefault("Cached", 0L);
    }
    return clamp(100.0 * (total - avail) / total);
  }

  /** Swap used %, 0 when the host has no swap. */
  public static double swapUsedPercent(Map<String, Long> meminfo) {
    Long total = meminfo.get("SwapTotal");
    Long free = meminfo.get("SwapFree");
    if (total == null || free == null) throw new ProcFormatException("meminfo: no SwapTotal/SwapFree");
    if (total <= 0) return 0.0;
    return clamp(100.0 * (total - free) / total);
  }

  /** /proc/loadavg: the 1, 5 and 15 minute averages. */
  public static double[] parseLoadavg(String text) {
    String[] f = text.trim().split("\\s+");
    if (f.length < 3) throw new ProcFormatException("loadavg: expected 3 numbers: " + text.trim());
    try {
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (NumberFormatException e) {
      throw new ProcFormatException("loadavg: not a number: " + text.trim());
    }
  }

  /** One /proc/diskstats row: sectors are 512 bytes whatever the device's block size. */
  public record DiskStat(String device, long sectorsRead, long sectorsWritten, long ioMillis) {}

  public static List<DiskStat> parseDiskstats(String text) {
    List<DiskStat> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String t = line.trim();
      if (t.isEmpty()) continue;
      String[] f = t.split("\\s+");
      if (f.length < 14) throw new ProcFormatException("diskstats: short line: " + t);
      out.add(new DiskStat(f[2], parseLong(f[5], "diskstats"), parseLong(f[9], "diskstats"), parseLong(f[12], "diskstats")));
    }
    return out;
  }

  /** One /proc/mounts row, with the octal escapes of the kernel ({@code \040} for a space) decoded. */
  public record Mount(String device, String mountPoint, String fsType) {}

  public static List<Mount> parseMounts(String text) {
    List<Mount> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 3) continue;
      out.add(new Mount(unescapeOctal(f[0]), unescapeOctal(f[1]), f[2]));
    }
    return out;
  }

  static String unescapeOctal(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) return false;
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') return false;
    }
    return true;
  }

  private static long parseLong(String s, String file) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ProcFormatException(file + ": not a number: " + s);
    }
  }

  static double clamp(double pct) {
    if (pct < 0) return 0;
    return Math.min(pct, 100.0);
  }
}
