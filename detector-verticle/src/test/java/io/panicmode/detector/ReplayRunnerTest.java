package io.panicmode.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.detector.replay.ReplayRunner;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayRunnerTest {
  @TempDir Path tmp;

  PanicConfig cfg() throws Exception {
    return ConfigLoader.parse("""
        monitors:
          - name: ssh
            type: auth_failures
            threshold: 3
            window: 1m
            actions: [block_ip, alert_critical]
        storage:
          state_file: "%s"
        """.formatted(tmp.resolve("state.json")), "replay.yaml", Map.of());
  }

  /** A log from last year: 4 failures from one IP within a minute, 4 from another spread over an hour. */
  static List<AuthEvent> log() {
    long t0 = 1_690_000_000_000L;
    List<AuthEvent> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) out.add(new AuthEvent("web-1", t0 + i * 10_000L, "203.0.113.5", "admin", "invalid_user", 40000 + i));
    for (int i = 0; i < 4; i++) out.add(new AuthEvent("web-1", t0 + i * 900_000L, "198.51.100.8", "root", "failed_password", 22));
    return out;
  }

  @Test
  void jsonLinesNameTheIpsOverTheThresholdAndTheirCommands() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc = ReplayRunner.run(cfg(), log(), true, new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertEquals(0, rc);
    String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(1, lines.length, buf.toString(StandardCharsets.UTF_8));
    JsonObject l = new JsonObject(lines[0]);
    assertEquals("ssh", l.getString("rule"));
    assertEquals("critical", l.getString("severity"));
    assertEquals("2023-07-22T04:27:10Z", l.getString("time")); // the log's own time, 4th failure
    assertEquals("203.0.113.5", l.getJsonObject("subjects").getJsonArray("ips").getString(0));
    assertEquals("block_ip", l.getJsonArray("commands").getJsonObject(0).getString("op"));
    assertEquals("203.0.113.5", l.getJsonArray("commands").getJsonObject(0).getJsonArray("ips").getString(0));
    assertFalse(Files.exists(tmp.resolve("state.json")), "replay must not write the state file");
  }

  @Test
  void tableForPeople() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ReplayRunner.run(cfg(), log(), false, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String text = buf.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("TIME"), text);
    assertTrue(text.contains("203.0.113.5"), text);
    assertTrue(text.contains("block_ip"), text);
    assertFalse(text.contains("198.51.100.8"), text);
    assertTrue(text.contains("8 auth events replayed, 1 incidents would fire"), text);
  }
}
