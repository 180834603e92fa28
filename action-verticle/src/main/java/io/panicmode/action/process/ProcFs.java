package io.panicmode.action.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads processes from a /proc tree (the root is a parameter so tests can use fixtures). A
 * process that vanishes while being read is simply absent. Parsing is pure and linear: the comm
 * field is taken between the first '(' and the last ')', since a process may put spaces and
 * parentheses in its own name.
 */
public final class ProcFs implements ProcessSource {
  private static final long PF_KTHREAD = 0x00200000L;

  private final Path root;

  public ProcFs(Path root) { this.root = root; }

  @Override
  public List<ProcInfo> list() {
    List<ProcInfo> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.isEmpty() || n.length() > 10 || !n.chars().allMatch(Character::isDigit)) continue;
        read(Integer.parseInt(n)).ifPresent(out::add);
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  @Override
  public Optional<ProcInfo> read(int pid) {
    Path dir = root.resolve(Integer.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
      Optional<Stat> s = parseStat(stat);
      if (s.isEmpty()) return Optional.empty();
      int uid = parseUid(readOr(dir.resolve("status")));
      int oom = parseIntOr(readOr(dir.resolve("oom_score_adj")).strip(), 0);
      String cgroup = parseCgroup(readOr(dir.resolve("cgroup")));
      Stat st = s.get();
      // The kernel's own flag, not ancestry: in a PID namespace, PID 2 and its children are ordinary processes.
      boolean kthread = (st.flags & PF_KTHREAD) != 0;
      return Optional.of(new ProcInfo(pid, st.ppid, st.startTime, st.comm, st.state, uid, st.utime + st.stime, kthread, oom,
          cgroup));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The fields of /proc/PID/stat we use. */
  public record Stat(String comm, char state, int ppid, long flags, long utime, long stime, long startTime) {}

  public static Optional<Stat> parseStat(String text) {
    int open = text.indexOf('(');
    int close = text.lastIndexOf(')');
    if (open < 0 || close < open || close + 2 > text.length()) return Optional.empty();
    String comm = text.substring(open + 1, close);
    String[] f = text.substring(close + 2).strip().split(" ");
    // f[0] is field 3 (state); field N is f[N - 3].
    if (f.length < 20 || f[0].length() != 1) return Optional.empty();
    try {
      return Optional.of(new Stat(comm, f[0].charAt(0), Integer.parseInt(f[1]), Long.parseLong(f[6]), Long.parseLong(f[11]),
          Long.parseLong(f[12]), Long.parseLong(f[19])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static int parseUid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] parts = line.substring(4).strip().split("\\s+");
        return parseIntOr(parts[0], -1);
      }
    }
    return -1;
  }

  static String parseCgroup(String text) {
    for (String line : text.split("\n")) {
      if (line.startsWith("0::")) return line.substring(3).strip();
    }
    return "";
  }

  private static int parseIntOr(String s, int dflt) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  private static String readOr(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }
}
