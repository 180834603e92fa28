package io.panicmode.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  private static final Path FIXTURES = Path.of("src/test/resources/config");

  @Test
  void seedReferenceLoadsUnchanged() throws Exception {
    PanicConfig c = ConfigLoader.load(FIXTURES.resolve("seed-reference.yaml"), Map.of());
    assertEquals(Duration.ofSeconds(5), c.performance().checkInterval());
    assertEquals(5.0, c.performance().cpuLimit());
    assertEquals(50, c.performance().memoryLimitMb());
    assertEquals(1, c.monitors().size());
    MonitorRule r = c.monitors().get(0);
    assertEquals("high_cpu", r.name());
    assertEquals(MonitorType.CPU_USAGE, r.type());
    assertEquals(List.of("alert_critical", "freeze_top_process", "snapshot"), r.actions());
    assertEquals(ChannelType.TELEGRAM, c.alerts().critical().get(0).channel());
    assertEquals(3, c.alerts().critical().get(0).retries());
    assertEquals("panicmode-warn", c.alerts().warning().get(0).topic());
    assertEquals(587, c.integrations().email().smtpPort());
    assertNull(c.integrations().telegram().apiBaseUrl());
    assertEquals(OutputFormat.NUMBER, c.customMetrics().get("redis_memory_mb").outputFormat());
    assertEquals(Duration.ofSeconds(10), c.customMetrics().get("redis_memory_mb").cacheTtl());
    assertEquals(1000, c.fileMonitor().maxEventsPerPath());
    assertEquals(Duration.ofSeconds(30), c.circuitBreakers().openDuration());
    assertEquals("/var/lib/panicmode/incidents.db", c.storage().incidentDb());
    assertEquals(10000, c.anomaly().connectionSpikeThreshold());
    assertFalse(c.httpApi().enabled());
    assertEquals("127.0.0.1:8765", c.httpApi().bind());
    assertTrue(c.firewall().enabled());
    assertEquals("/run/panicmode/ctl.sock", c.firewall().ctlSocket());
    assertTrue(c.firewall().whitelist().isEmpty());
    assertEquals(FirewallBackend.SCRIPT, c.firewall().backend());
    assertNull(c.firewall().banDuration(), "without ban_duration a ban is permanent, as before");
  }

  @Test
  void defaultsMatchTheReference() throws Exception {
    PanicConfig c = ConfigLoader.parse("", "empty", Map.of());
    assertEquals(1000, c.performance().selfFdThreshold());
    assertEquals(200, c.performance().selfThreadThreshold());
    assertEquals(Duration.ofSeconds(300), c.performance().selfAlertCooldown());
    assertEquals(Duration.ofSeconds(5), c.performance().diskCacheTtl());
    assertEquals(5, c.circuitBreakers().maxFailures());
    assertEquals(Duration.ofSeconds(60), c.circuitBreakers().failureWindow());
    assertEquals(5, c.circuitBreakers().maxConcurrency());
    assertEquals(Duration.ofSeconds(10), c.circuitBreakers().timeout());
    assertEquals(Duration.ofSeconds(60), c.fileMonitor().aggregationWindow());
    assertEquals(Duration.ofSeconds(300), c.detector().dedupWindow());
    assertEquals(Duration.ofSeconds(60), c.detector().rateLimits().critical());
    assertEquals(Duration.ofSeconds(300), c.detector().rateLimits().warning());
    assertEquals(Duration.ZERO, c.detector().rateLimits().info());
    assertEquals(Duration.ofDays(90), c.storage().retention());
    assertEquals("/etc/panicmode/scripts/block_ip.sh", c.firewall().blockScript());
    assertTrue(c.firewall().restoreOnStartup());
    assertEquals(List.of("/var/log/auth.log", "/var/log/secure"), c.collector().authLogs());
    assertFalse(c.cluster().enabled());
    assertEquals("127.0.0.1", c.cluster().bind());
    assertTrue(c.node().id() != null && !c.node().id().isEmpty(), "host id resolved from the host name");
  }

  @Test
  void shippedConfigValidates() throws Exception {
    PanicConfig c = ConfigLoader.load(Path.of("../config/panicmode.yaml"), Map.of());
    assertTrue(c.httpApi().enabled());
    assertEquals(FirewallBackend.DRY_RUN, c.firewall().backend());
    assertTrue(c.processes().dryRun());
    assertTrue(c.storage().incidentDb().startsWith("./var/"));
  }

  @Test
  void environmentOverrides() throws Exception {
    PanicConfig c = ConfigLoader.parse("http_api: {enabled: true}\n", "env", Map.of(
        "PANICMODE_BLOCK_IP_SCRIPT", "/opt/block.sh",
        "PANICMODE_UNBLOCK_IP_SCRIPT", "/opt/unblock.sh",
        "PANICMODE_CTL_SOCKET", "/tmp/ctl.sock",
        "PANICMODE_MASS_FREEZE_CONFIG", "/opt/mf.yaml",
        "PANICMODE_HOST_ID", "web-1",
        "PANICMODE_ROLES", "collector, detector",
        "PANICMODE_CLUSTER_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702",
        "PANICMODE_API_TOKEN", "s3cret"));
    assertEquals("/opt/block.sh", c.firewall().blockScript());
    assertEquals("/opt/unblock.sh", c.firewall().unblockScript());
    assertEquals("/tmp/ctl.sock", c.firewall().ctlSocket());
    assertEquals("/opt/mf.yaml", c.processes().massFreezeFile());
    assertEquals("web-1", c.node().id());
    assertEquals(List.of("collector", "detector"), c.node().roles());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), c.cluster().members());
    assertEquals("s3cret", c.httpApi().token());
  }

  @Test
  void configuredTokenWinsOverEnvironment() throws Exception {
    PanicConfig c = ConfigLoader.parse("http_api: {token: from-file}\n", "env", Map.of("PANICMODE_API_TOKEN", "env"));
    assertEquals("from-file", c.httpApi().token());
  }

  @Test
  void everyErrorIsReportedNotJustTheFirst() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
        performance: {check_interval: 10ms, cpu_limit: -1}
        monitors:
          - {name: a, type: cpu_usage, threshold: -1, actions: [nope]}
        bogus: 1
        """, "multi", Map.of()));
    List<String> paths = e.errors().stream().map(ConfigError::path).toList();
    assertTrue(paths.containsAll(List.of("performance.check_interval", "performance.cpu_limit",
        "monitors[0].threshold", "monitors[0].actions[0]", "bogus")), paths.toString());
  }

  @Test
  void aBridgeAgentSharesAClusterOnlyOnLoopbackAndAlwaysUsesTls() throws Exception {
    String tls = "    tls: {key_store: a.p12, trust_store: t.p12}\n";
    PanicConfig pair = ConfigLoader.parse("cluster: {enabled: true, bind: 127.0.0.1, members: [\"127.0.0.1:5702\"]}\n"
        + "central:\n  bridge:\n    connect: \"central:7443\"\n" + tls, "pair", Map.of());
    assertTrue(pair.central().bridge().isAgent());
    ConfigException wide = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
        "cluster: {enabled: true, bind: 10.0.0.5, members: [\"10.0.0.9:5701\"]}\n"
            + "central:\n  bridge:\n    connect: \"central:7443\"\n" + tls, "wide", Map.of()));
    assertEquals(List.of("central.bridge.connect"), wide.errors().stream().map(ConfigError::path).toList());
    ConfigException bare = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
        "central:\n  bridge:\n    listen: true\n    connect: \"x:1\"\n", "bare", Map.of()));
    assertTrue(bare.errors().stream().map(ConfigError::path).toList().containsAll(List.of("central.bridge.connect",
        "central.bridge.tls.key_store", "central.bridge.tls.trust_store")), bare.errors().toString());
  }

  @Test
  void secretsNeverAppearInErrors() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
        integrations:
          telegram: {bot_token: [123456:SECRETTOKEN], chat_id: "1"}
        alerts:
          info: [{channel: webhook, webhook_url: "not a url SECRETHOOK"}]
        """, "secret", Map.of()));
    assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofDays(1), Durations.parse("1d"));
    assertEquals(Duration.ofSeconds(7), Durations.parse("7"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 s"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("5y"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("-5s"));
    assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
  }

  static Stream<Path> brokenConfigs() throws IOException {
    return Files.list(FIXTURES.resolve("broken")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  /** Each broken file names the error it must produce on its first line: {@code # expect: <text>}. */
  @ParameterizedTest
  @MethodSource("brokenConfigs")
  void brokenConfigFailsNamingTheKey(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String expected = text.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, file.toString(), Map.of()));
    assertTrue(e.errors().stream().anyMatch(err -> err.toString().contains(expected)),
        "expected an error containing [" + expected + "] but got " + e.errors());
  }

  /** Oversized files are refused from their size alone, before any of them is read or parsed. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {3_600_000, 5_000_000})
  void oversizedConfigIsRefusedBeforeParsing(int bytes, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path file = dir.resolve("big.yaml");
    String line = "# " + "x".repeat(97) + "\n";
    Files.writeString(file, line.repeat(bytes / line.length() + 1));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
    assertEquals(1, e.errors().size(), e.errors().toString());
    assertTrue(e.errors().get(0).toString().contains("is larger than the limit of 1048576 bytes"), e.errors().toString());
  }
}
