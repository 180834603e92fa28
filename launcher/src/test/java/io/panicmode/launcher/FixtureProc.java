package io.panicmode.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A fake /proc for the collector: static memory, load and network files, and a /proc/stat whose
 * counters a background thread advances so that CPU reads as busy or idle, as the test asks.
 */
final class FixtureProc implements AutoCloseable {
  final Path root;
  private volatile boolean busy = true;
  private long user;
  private long idle;
  private final Thread ticker;

  FixtureProc(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root.resolve("net"));
    Files.writeString(root.resolve("meminfo"), """
        MemTotal:        8000000 kB
        MemFree:         4000000 kB
        MemAvailable:    6000000 kB
        SwapTotal:       1000000 kB
        SwapFree:        1000000 kB
        """);
    Files.writeString(root.resolve("loadavg"), "0.50 0.40 0.30 1/200 12345\n");
    String tcpHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    Files.writeString(root.resolve("net/tcp"), tcpHeader);
    Files.writeString(root.resolve("net/tcp6"), tcpHeader);
    Files.writeString(root.resolve("diskstats"), "");
    Files.writeString(root.resolve("mounts"), "");
    writeStat();
    ticker = new Thread(this::tick, "fixture-proc-stat");
    ticker.setDaemon(true);
    ticker.start();
  }

  void busy(boolean b) { busy = b; }

  private void tick() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(100);
        synchronized (this) {
          user += busy ? 95 : 2;
          idle += busy ? 5 : 98;
        }
        writeStat();
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        // next tick rewrites it
      }
    }
  }

  private synchronized void writeStat() throws IOException {
    String line = "cpu  " + user + " 0 0 " + idle + " 0 0 0 0 0 0\n";
    String core = "cpu0 " + user + " 0 0 " + idle + " 0 0 0 0 0 0\n";
    Path tmp = root.resolve("stat.tmp");
    Files.writeString(tmp, line + core + "intr 0\nctxt 0\nbtime 1700000000\nprocesses 1\nprocs_running 1\nprocs_blocked 0\n");
    Files.move(tmp, root.resolve("stat"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    ticker.interrupt();
  }
}
