package io.panicmode.api.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperatorPolicyTest {
  static final String GROUP_FILE = """
      root:x:0:
      adm:x:4:syslog,alice
      panicmode:x:998:alice, bob
      panicmodex:x:997:mallory
      """;

  @ParameterizedTest(name = "{0}/{1} may change: {2}")
  @CsvSource({
      "root, root, true",
      "panicmode, panicmode, true",   // the daemon's own user
      "carol, panicmode, true",       // panicmode as primary group
      "alice, alice, true",           // listed member
      "bob, bob, true",               // listed after a blank
      "mallory, mallory, false",      // member of a group whose name merely starts alike
      "nobody, nogroup, false",
      "65534, 65534, false"})         // a uid the system has no name for
  void whoMayChangeThings(String user, String group, boolean expected) {
    assertEquals(expected, new OperatorPolicy("panicmode", GROUP_FILE).mayMutate(new PeerCredentials.Peer(user, group)));
  }

  @Test
  void unreadableGroupFileLeavesRootAndTheDaemonUser() {
    OperatorPolicy p = new OperatorPolicy("svc", "");
    assertEquals(true, p.mayMutate(new PeerCredentials.Peer("svc", "svc")));
    assertEquals(false, p.mayMutate(new PeerCredentials.Peer("alice", "alice")));
  }

  static PanicConfig config(String yaml) throws Exception {
    return ConfigLoader.parse(yaml, "test", Map.of());
  }

  @Test
  void theDefaultPathMovesNextToTheDataWhenNotRoot() throws Exception {
    PanicConfig cfg = config("storage: {incident_db: /srv/pm/data/incidents.db}\n");
    assertEquals(Path.of("/run/panicmode/ctl.sock"), CtlSocketPath.resolve(cfg, true));
    assertEquals(Path.of("/srv/pm/data/ctl.sock"), CtlSocketPath.resolve(cfg, false));
  }

  @Test
  void anExplicitPathIsUsedAsGivenAndAnEmptyOneTurnsTheSocketOff() throws Exception {
    assertEquals(Path.of("/tmp/x/pm.sock"), CtlSocketPath.resolve(config("firewall: {ctl_socket: /tmp/x/pm.sock}\n"), false));
    assertEquals(null, CtlSocketPath.resolve(config("firewall: {ctl_socket: \"\"}\n"), true));
  }

  @Test
  void aPathTooLongForAUnixSocketIsNamed() {
    String longPath = "/tmp/" + "d".repeat(120) + "/ctl.sock";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CtlSocketPath.resolve(config("firewall: {ctl_socket: " + longPath + "}\n"), true));
    assertEquals(true, e.getMessage().startsWith("firewall.ctl_socket: "), e.getMessage());
  }
}
