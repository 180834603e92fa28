package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Action names as rules and operators write them: "op:argument" or op plus target; anything else refused. */
class OpTest {
  @ParameterizedTest
  @CsvSource(value = {"block_ip||block_ip|", "mass_freeze_cluster:web||mass_freeze_cluster|web",
      "mass_freeze_cluster|web|mass_freeze_cluster|web", "mass_freeze_cluster:web|web|mass_freeze_cluster|web",
      "run_script||run_script|", "run_script:notify||run_script|notify", "run_script|notify|run_script|notify",
      "thaw||thaw|"}, delimiter = '|', emptyValue = "")
  void opsParse(String op, String target, String name, String arg) {
    Op.Parsed p = Op.parse(op, target == null ? "" : target).orElseThrow();
    assertEquals(name, p.op().wire());
    assertEquals(arg == null ? "" : arg, p.arg());
  }

  @ParameterizedTest
  @CsvSource(value = {"block_ip|x", "block_ip:x|", "mass_freeze_cluster|", "mass_freeze_cluster:a|b",
      "mass_freeze_cluster:../x|", "run_script:a b|", "Block_IP|", "alert_critical|", "|", "thaw:|"},
      delimiter = '|', emptyValue = "")
  void opsRejected(String op, String target) {
    assertTrue(Op.parse(op == null ? "" : op, target == null ? "" : target).isEmpty(), op + " / " + target);
  }
}
