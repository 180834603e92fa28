package io.panicmode.bench.action;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How long from {@code ProcessBuilder.start()} to the first instruction of a block script (which
 * writes {@code date +%s%N}), with whatever jdk.lang.Process.launchMechanism this JVM was given.
 * Usage: SpawnBench SCRIPT RECORD_FILE COUNT; prints "MECHANISM p50 p90 max" in ms.
 */
public final class SpawnBench {
  public static void main(String[] args) throws Exception {
    Path script = Path.of(args[0]);
    Path record = Path.of(args[1]);
    int count = Integer.parseInt(args[2]);
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < count + 20; i++) {
      Files.deleteIfExists(record);
      Instant t = Instant.now();
      Process p = new ProcessBuilder(script.toString(), "192.0.2.1").redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
      long started = Long.parseLong(Files.readString(record).trim().split(" ")[0]);
      if (i >= 20) ms.add((started - (t.getEpochSecond() * 1_000_000_000L + t.getNano())) / 1e6); // 20 warm-up runs
    }
    Collections.sort(ms);
    System.out.printf("%-11s p50 %5.2f ms  p90 %5.2f ms  max %6.2f ms%n",
        System.getProperty("jdk.lang.Process.launchMechanism", "default"), ms.get(ms.size() / 2),
        ms.get(ms.size() * 9 / 10), ms.get(ms.size() - 1));
  }
}
