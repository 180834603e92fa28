package io.panicmode.action;

import io.panicmode.action.process.ProcFs;
import io.panicmode.action.process.ProcessSource;
import io.panicmode.contracts.net.StrictIp;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the action verticle touches on the machine, gathered so tests and benchmarks can point
 * it elsewhere: where processes are read from, the kill and nft programs (nft may be prefixed
 * with {@code ip netns exec <ns>}), how long CPU is sampled, the passwd file and this host's own
 * addresses.
 */
public record HostEnv(ProcessSource processes, String killPath, List<String> nftCommand, Duration cpuSampleInterval,
                      Path passwd, Supplier<List<String>> ownAddresses) {

  /** The real machine: /proc, /etc/passwd, the first kill and nft found in the system directories. */
  public static HostEnv real() {
    return new HostEnv(new ProcFs(Path.of("/proc")), find("kill", "/usr/bin/kill"), List.of(find("nft", "/usr/sbin/nft")),
        Duration.ofMillis(500), Path.of("/etc/passwd"), HostEnv::interfaceAddresses);
  }

  public HostEnv withNftCommand(List<String> cmd) {
    return new HostEnv(processes, killPath, cmd, cpuSampleInterval, passwd, ownAddresses);
  }

  public HostEnv withProcesses(ProcessSource src, Duration sample) {
    return new HostEnv(src, killPath, nftCommand, sample, passwd, ownAddresses);
  }

  static String find(String program, String fallback) {
    for (String d : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
      Path p = Path.of(d, program);
      if (Files.isExecutable(p)) return p.toString();
    }
    return fallback;
  }

  /** Every address of every interface, canonical, zones dropped. Blocking but local (no DNS). */
  public static List<String> interfaceAddresses() {
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          String text = a.getHostAddress();
          int zone = text.indexOf('%');
          StrictIp.canonical(zone < 0 ? text : text.substring(0, zone)).ifPresent(out::add);
        }
      }
    } catch (SocketException e) {
      return out;
    }
    return out;
  }
}
