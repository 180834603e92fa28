package io.panicmode.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The action table: how commands and rule entries are read, the run_script fallback, timeouts and severity. */
class ActionKindTest {
  private static final HookConfig HOOK = new HookConfig("script", "/bin/true", Duration.ofSeconds(90));

  @ParameterizedTest
  @CsvSource(value = {"block_ip||block_ip|", "mass_freeze_cluster:web||mass_freeze_cluster|web",
      "mass_freeze_cluster|web|mass_freeze_cluster|web", "mass_freeze_cluster:web|web|mass_freeze_cluster|web",
      "run_script||run_script|", "run_script:notify||run_script|notify", "run_script|notify|run_script|notify",
      "thaw||thaw|"}, delimiter = '|', emptyValue = "")
  void commandsParse(String op, String target, String name, String arg) {
    ActionKind.Named p = ActionKind.parseCommand(op, target == null ? "" : target).orElseThrow();
    assertEquals(name, p.kind().wire());
    assertEquals(arg == null ? "" : arg, p.arg());
  }

  @ParameterizedTest
  @CsvSource(value = {"block_ip|x", "block_ip:x|", "mass_freeze_cluster|", "mass_freeze_cluster:a|b",
      "mass_freeze_cluster:../x|", "run_script:a b|", "Block_IP|", "alert_critical|", "|", "thaw:|"},
      delimiter = '|', emptyValue = "")
  void malformedCommandsAreRefused(String op, String target) {
    assertTrue(ActionKind.parseCommand(op == null ? "" : op, target == null ? "" : target).isEmpty(), op + " / " + target);
  }

  @ParameterizedTest
  @CsvSource(value = {"alert_info|alert_info|", "block_ip|block_ip|", "mass_freeze_cluster:db|mass_freeze_cluster|db",
      "run_script|run_script|", "run_script:page|run_script|page", "page|run_script|page"}, delimiter = '|',
      emptyValue = "")
  void ruleEntriesName(String entry, String name, String arg) {
    ActionKind.Named n = ActionKind.ofRule(entry, Map.of("page", HOOK)).orElseThrow();
    assertEquals(name, n.kind().wire());
    assertEquals(arg == null ? "" : arg, n.arg());
  }

  @ParameterizedTest
  @CsvSource({"thaw", "unblock_ip", "mass_freeze_cluster", "run_script:nope", "block_ip:x", "nope"})
  void ruleEntriesRefused(String entry) {
    assertTrue(ActionKind.ofRule(entry, Map.of("page", HOOK)).isEmpty(), entry);
  }

  @Test
  void aBareRunScriptRunsTheHookKeyedRunScriptElseTheOnlyHookElseNone() {
    assertEquals("run_script", ActionKind.hookFor("", Map.of("run_script", HOOK, "page", HOOK)));
    assertEquals("page", ActionKind.hookFor("", Map.of("page", HOOK)));
    assertNull(ActionKind.hookFor("", Map.of("page", HOOK, "notify", HOOK)), "several hooks: no guess");
    assertNull(ActionKind.hookFor("", Map.of()));
    assertEquals("notify", ActionKind.hookFor("notify", Map.of("page", HOOK, "notify", HOOK)));
    assertNull(ActionKind.hookFor("gone", Map.of("page", HOOK)));
  }

  @Test
  void theValidatorRefusesABareRunScriptWithSeveralHooksAndNoneKeyedSo() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
        actions:
          page: {action: /opt/page.sh}
          notify: {action: /opt/notify.sh}
        monitors:
          - {name: a, type: cpu_usage, threshold: 90, actions: [run_script, thaw, "mass_freeze_cluster"]}
        """, "ambiguous", Map.of()));
    List<String> messages = e.errors().stream().map(Object::toString).toList();
    assertTrue(messages.get(0).contains("monitors[0].actions[0]") && messages.get(0).contains("name one"), messages.toString());
    assertTrue(messages.stream().anyMatch(m -> m.contains("thaw is for operators")), messages.toString());
    assertTrue(messages.stream().anyMatch(m -> m.contains("mass_freeze_cluster needs a name")), messages.toString());
  }

  @Test
  void timeoutsComeFromTheActionsOwnSetting() throws Exception {
    PanicConfig cfg = ConfigLoader.parse("""
        circuit_breakers: {timeout: 10s}
        actions:
          page: {action: /opt/page.sh, timeout: 60s}
        """, "timeouts", Map.of());
    assertEquals(Duration.ofSeconds(10), ActionKind.BLOCK_IP.timeout("", cfg));
    assertEquals(Duration.ofSeconds(30), ActionKind.SNAPSHOT.timeout("", cfg));
    assertEquals(Duration.ofSeconds(61), ActionKind.RUN_SCRIPT.timeout("page", cfg));
    assertEquals(Duration.ofSeconds(61), ActionKind.RUN_SCRIPT.timeout("", cfg), "the only hook");
  }

  @Test
  void severityComesFromTheFirstAction() {
    assertEquals(Severity.CRITICAL, ActionKind.severityOf(List.of("block_ip", "alert_info")));
    assertEquals(Severity.WARNING, ActionKind.severityOf(List.of("rate_limit")));
    assertEquals(Severity.INFO, ActionKind.severityOf(List.of("mass_freeze_cluster:web", "alert_critical")));
    assertEquals(Severity.INFO, ActionKind.severityOf(List.of("my_hook")));
    assertEquals(Severity.INFO, ActionKind.severityOf(List.of()));
  }
}
