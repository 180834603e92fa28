package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real daemons on one data dir: the second exits non-zero and names the first one's PID. */
class DataDirLockIT {
  private static final String CONFIG = """
      node: {id: lock-it}
      storage: {incident_db: "./var/incidents.db", snapshot_dir: "./var/snap", log_dir: "./var/log", state_file: "./var/state.json"}
      http_api: {enabled: true, bind: "127.0.0.1:%d", token: lock-token}
      firewall: {backend: dry_run}
      processes: {dry_run: true}
      collector: {auth_source: "off"}
      """;

  @Test
  void secondInstanceOnTheSameDataDirIsRefused(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("first.yaml");
    Files.writeString(cfg, CONFIG.formatted(PanicProcess.freePort()));
    Path cfg2 = dir.resolve("second.yaml");
    Files.writeString(cfg2, CONFIG.formatted(PanicProcess.freePort()));
    try (PanicProcess first = PanicProcess.start("first", dir, Map.of(), "run", "--config", cfg.toString())) {
      assertTrue(Await.holds(Duration.ofSeconds(60), () -> first.output().contains("PanicMode ready")),
          first.output());
      try (PanicProcess second = PanicProcess.start("second", dir, Map.of(), "run", "--config", cfg2.toString())) {
        assertTrue(second.process.waitFor(60, TimeUnit.SECONDS), "second instance kept running\n" + second.output());
        assertEquals(1, second.process.exitValue(), second.output());
        assertTrue(second.output().contains("is already run by PanicMode PID " + first.pid()), second.output());
        assertTrue(first.process.isAlive(), "the first instance must keep running\n" + first.output());
      }
    }
  }
}
