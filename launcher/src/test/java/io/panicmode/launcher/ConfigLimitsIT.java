package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One set of input limits: each hostile config gets the same clear error from {@code validate},
 * from {@code run} (which exits non-zero) and from a reload of a running daemon (HTTP and SIGHUP),
 * which keeps its config and stays healthy; no OutOfMemoryError or StackOverflowError anywhere. The
 * JVMs run with the small heap the integration tests give every daemon (64 MiB).
 */
class ConfigLimitsIT {
  private static final String GOOD = """
      node: {id: limits-it}
      monitors:
        - {name: quiet_load, type: load_average, threshold: 500, actions: [alert_info]}
      alerts: {info: [{channel: log}]}
      storage: {incident_db: "./var/incidents.db", snapshot_dir: "./var/snap", log_dir: "./var/log", state_file: "./var/state.json"}
      http_api: {enabled: true, bind: "127.0.0.1:%d", token: limits-token}
      firewall: {backend: dry_run}
      processes: {dry_run: true}
      collector: {auth_source: "off"}
      """;

  /** Each hostile file and the words its error must carry, everywhere it is read. */
  private static Map<String, String> hostileConfigs(String good) {
    String filler = "# " + "x".repeat(97) + "\n";
    StringBuilder deep = new StringBuilder("monitors:\n");
    for (int i = 0; i < 200; i++) deep.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
    deep.append("  ".repeat(201)).append("x: 1\n");
    StringBuilder aliases = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c < 'j'; c++) {
      aliases.append(c).append(": &").append(c).append(" [").append(("*" + (char) (c - 1) + ", ").repeat(8))
          .append('*').append((char) (c - 1)).append("]\n");
    }
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(good + filler.repeat(3_600_000 / filler.length()), "is larger than the limit of 1048576 bytes");
    cases.put(good + filler.repeat(5_000_000 / filler.length()), "is larger than the limit of 1048576 bytes");
    cases.put(deep.toString(), "Nesting Depth exceeded max 50");
    cases.put("monitors: " + "[".repeat(5000) + "]".repeat(5000) + "\n", "Nesting Depth exceeded max 50");
    cases.put(aliases.toString(), "Number of aliases for non-scalar nodes exceeds the specified max=50");
    cases.put(good + "node: {id: twice}\n", "found duplicate key node");
    return cases;
  }

  @Test
  void validateRunAndReloadGiveTheSameAnswer(@TempDir Path dir) throws Exception {
    int port = PanicProcess.freePort();
    String good = GOOD.formatted(port);
    Path live = Files.writeString(dir.resolve("live.yaml"), good);
    try (PanicProcess daemon = PanicProcess.start("daemon", dir, Map.of(), "run", "--config", live.toString())) {
      assertTrue(Await.holds(Duration.ofSeconds(60), () -> PanicProcess.healthy(port)), daemon.output());
      int n = 0;
      for (Map.Entry<String, String> c : hostileConfigs(good).entrySet()) {
        n++;
        String expected = c.getValue();
        Path bad = Files.writeString(dir.resolve("bad" + n + ".yaml"), c.getKey());

        Finished validate = finish(PanicProcess.start("validate" + n, dir, Map.of(), "validate", bad.toString()));
        assertNotEquals(0, validate.code, "validate accepted case " + n + "\n" + validate.out);
        assertTrue(validate.out.contains(expected), "validate, case " + n + ": " + validate.out);

        Finished run = finish(PanicProcess.start("run" + n, dir, Map.of(), "run", "--config", bad.toString()));
        assertNotEquals(0, run.code, "run started on case " + n + "\n" + run.out);
        assertTrue(run.out.contains(expected), "run, case " + n + ": " + run.out);

        Files.writeString(live, c.getKey());
        HttpResponse<String> reload = PanicProcess.post(port, "/api/v1/reload", "limits-token", "");
        assertEquals(400, reload.statusCode(), "reload, case " + n + ": " + reload.body());
        assertTrue(reload.body().contains(expected), "reload, case " + n + ": " + reload.body());

        int rejectedBefore = count(daemon.output(), "config reload rejected");
        new ProcessBuilder("kill", "-HUP", String.valueOf(daemon.pid())).start().waitFor();
        assertTrue(Await.holds(Duration.ofSeconds(30),
            () -> count(daemon.output(), "config reload rejected") > rejectedBefore), daemon.output());
        assertTrue(daemon.output().contains(expected), "SIGHUP, case " + n);

        Files.writeString(live, good);
        assertTrue(PanicProcess.healthy(port) && daemon.process.isAlive(), "the running config stays after case " + n);
        for (String out : new String[] {validate.out, run.out, daemon.output()}) {
          assertFalse(out.contains("OutOfMemoryError") || out.contains("StackOverflowError"), out);
        }
      }

      // The same care for request bodies: 900 levels of JSON are refused, not parsed into a stack overflow.
      String nested = "{\"ip\":\"203.0.113.9\",\"x\":" + "[".repeat(900) + "]".repeat(900) + "}";
      HttpResponse<String> deepBody = PanicProcess.post(port, "/api/v1/blocks", "limits-token", nested);
      assertEquals(400, deepBody.statusCode(), deepBody.body());
      assertTrue(PanicProcess.healthy(port), daemon.output());
      assertFalse(daemon.output().contains("StackOverflowError"), daemon.output());
    }
  }

  private record Finished(int code, String out) {}

  private static Finished finish(PanicProcess p) throws Exception {
    try (p) {
      assertTrue(p.process.waitFor(60, TimeUnit.SECONDS), "did not exit\n" + p.output());
      return new Finished(p.process.exitValue(), p.output());
    }
  }

  private static int count(String text, String what) {
    return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
  }
}
