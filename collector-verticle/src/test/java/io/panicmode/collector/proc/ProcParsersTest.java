package io.panicmode.collector.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each /proc parser on literal inputs. */
class ProcParsersTest {
  @Test
  void statCountsIowaitAsIdleAndExcludesGuest() {
    var s = ProcParsers.parseStat("cpu  100 10 50 800 40 5 5 0 30 0\ncpu0 100 10 50 800 40 5 5 0 30 0\nintr 1\n");
    // busy = user+nice+system+irq+softirq+steal = 170; idle = idle+iowait = 840; guest is inside user.
    assertEquals(new ProcParsers.CpuTimes(170, 1010), s.all());
    assertEquals(Map.of("0", new ProcParsers.CpuTimes(170, 1010)), s.cores());
    var later = new ProcParsers.CpuTimes(170 + 30, 1010 + 100);
    assertEquals(30.0, later.busyPercentSince(s.all()), 1e-9);
  }

  @Test
  void statWithoutAggregateLineIsRejected() {
    assertThrows(ProcFormatException.class, () -> ProcParsers.parseStat("intr 1\n"));
    assertThrows(ProcFormatException.class, () -> ProcParsers.parseStat("cpu  1 2 x 4\n"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "MemTotal: 1000 kB\\nMemAvailable: 250 kB\\nSwapTotal: 0 kB\\nSwapFree: 0 kB|75.0|0.0",
      "MemTotal: 1000 kB\\nMemFree: 100 kB\\nBuffers: 50 kB\\nCached: 50 kB\\nSwapTotal: 400 kB\\nSwapFree: 100 kB|80.0|75.0",
      "MemTotal:  8000000 kB\\nMemAvailable:  8000000 kB\\nSwapTotal: 10 kB\\nSwapFree: 10 kB|0.0|0.0"})
  void meminfo(String text, double mem, double swap) {
    Map<String, Long> m = ProcParsers.parseMeminfo(text.replace("\\n", "\n"));
    assertEquals(mem, ProcParsers.memoryUsedPercent(m), 1e-9);
    assertEquals(swap, ProcParsers.swapUsedPercent(m), 1e-9);
  }

  @Test
  void meminfoWithoutTotalsIsRejectedNotZero() {
    assertThrows(ProcFormatException.class, () -> ProcParsers.memoryUsedPercent(ProcParsers.parseMeminfo("MemFree: 1 kB\n")));
    assertThrows(ProcFormatException.class, () -> ProcParsers.swapUsedPercent(ProcParsers.parseMeminfo("MemTotal: 1 kB\n")));
  }

  @Test
  void loadavg() {
    double[] l = ProcParsers.parseLoadavg("0.52 1.25 12.00 3/812 99123\n");
    assertEquals(0.52, l[0]);
    assertEquals(1.25, l[1]);
    assertEquals(12.0, l[2]);
    assertThrows(ProcFormatException.class, () -> ProcParsers.parseLoadavg("0.52\n"));
  }

  @Test
  void diskstatsTakesSectorsAndIoMillis() {
    List<ProcParsers.DiskStat> d = ProcParsers.parseDiskstats(
        " 259       0 nvme0n1 2206 712 197364 417 1364 1067 49784 1327 0 2108 2054 0 0 0 0 51 309\n");
    assertEquals(List.of(new ProcParsers.DiskStat("nvme0n1", 197364, 49784, 2108)), d);
    assertThrows(ProcFormatException.class, () -> ProcParsers.parseDiskstats("8 0 sda 1 2 3\n"));
  }

  @Test
  void mountsDecodeOctalEscapes() {
    var m = ProcParsers.parseMounts("/dev/sdb1 /mnt/my\\040disk\\011tab ext4 rw 0 0\nproc /proc proc rw 0 0\n");
    assertEquals(new ProcParsers.Mount("/dev/sdb1", "/mnt/my disk\ttab", "ext4"), m.get(0));
    assertEquals("/proc", m.get(1).mountPoint());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // little-endian hex words as the kernel prints them on x86 -> canonical remote IP
      "false|0100007F:0016 057100CB:C350 01|203.0.113.5|1",
      "false|0100007F:0016 057100CB:C350 0A|-|0",
      "false|0100007F:0016 057100CB:C350 06|-|0",
      "true|00000000000000000000000001000000:0016 0000000000000000FFFF00000F7100CB:C350 01|203.0.113.15|1",
      "true|00000000000000000000000001000000:0016 B80D0120000000000000000001000000:C350 01|2001:db8::1|1",
      "true|00000000000000000000000001000000:0016 00000000000000000000000001000000:C350 01|::1|1"})
  void netTcpLine(boolean v6, String cols, String ip, int established) {
    String text = "  sl  local_address rem_address   st\n   0: " + cols + " 00000000:00000000 00:00000000 00000000 0 0 1 1\n";
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    NetTcpParser.Connections c = new NetTcpParser.Connections();
    NetTcpParser.parse(b, b.length, v6, c);
    assertEquals(established, c.established());
    assertEquals(ip.equals("-") ? Map.of() : Map.of(ip, 1.0), c.perIp());
  }

  @Test
  void netTcpSkipsTruncatedAndGarbageLines() {
    byte[] b = "header\n   0: 0100007F:0016 0571\n   1: zzzzzzzz:0016 057100CB:C350 01 x\n\n".getBytes(StandardCharsets.US_ASCII);
    NetTcpParser.Connections c = new NetTcpParser.Connections();
    NetTcpParser.parse(b, b.length, false, c);
    // A bad local address does not hide the remote one; a truncated line counts nothing.
    assertEquals(1, c.established());
  }
}
