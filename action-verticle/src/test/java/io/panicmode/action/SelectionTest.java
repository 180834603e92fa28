package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.panicmode.action.process.FreezeRegistry;
import io.panicmode.action.process.MassFreezeConfig;
import io.panicmode.action.process.ProcInfo;
import io.panicmode.action.process.ProcessActions;
import io.panicmode.action.process.ProcessSource;
import io.panicmode.action.process.Protection;
import io.panicmode.action.process.Signaller;
import io.panicmode.contracts.ActionResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which processes each freeze op picks, on a fixed process table in dry-run mode (nothing is signalled). */
class SelectionTest {
  static final List<ProcInfo> TABLE = List.of(
      new ProcInfo(1, 0, 1, "systemd", 'S', 0, 10, false, 0, "/init.scope"),
      new ProcInfo(2, 0, 1, "kthreadd", 'S', 0, 0, true, 0, ""),
      new ProcInfo(100, 1, 50, "sshd", 'S', 0, 10, false, 0, "/system.slice/ssh.service"),
      new ProcInfo(200, 1, 60, "nginx", 'S', 33, 10, false, 0, "/system.slice/nginx.service"),
      new ProcInfo(201, 200, 61, "nginx", 'S', 33, 10, false, 0, "/system.slice/nginx.service"),
      new ProcInfo(300, 1, 70, "make", 'R', 1001, 10, false, 0, "/user.slice/user-1001.slice/session-3.scope"),
      new ProcInfo(301, 300, 71, "cc1plus", 'R', 1001, 10, false, 0, "/user.slice/user-1001.slice/session-3.scope"),
      new ProcInfo(400, 1, 80, "batchjob", 'R', 1002, 10, false, 0, "/system.slice/batch.service/worker"),
      new ProcInfo(401, 1, 81, "batchjob2", 'R', 1002, 10, false, 0, "/system.slice/batch.servicex"),
      new ProcInfo(500, 1, 90, "zombie", 'Z', 0, 10, false, 0, ""),
      new ProcInfo(600, 1, 95, "stopped", 'T', 0, 10, false, 0, ""),
      new ProcInfo(700, 1, 99, "postgres", 'S', 0, 10, false, -1000, ""));

  static final ProcessSource SOURCE = new ProcessSource() {
    @Override public List<ProcInfo> list() { return TABLE; }

    @Override public Optional<ProcInfo> read(int pid) { return TABLE.stream().filter(p -> p.pid() == pid).findFirst(); }
  };

  private static ProcessActions actions(String yaml) throws Exception {
    MassFreezeConfig mf = MassFreezeConfig.parse(yaml, "test");
    return new ProcessActions(SOURCE, new Signaller(SOURCE, "/bin/false"), new Protection(999_999), mf, true,
        Map.of("builder", 1001), Duration.ofMillis(1), Clock.systemUTC(), new FreezeRegistry());
  }

  private static Set<String> picked(io.panicmode.action.Outcome o) {
    assertEquals(ActionResult.Status.SKIPPED, o.status(), o.reason());
    return Set.copyOf(o.affected());
  }

  @Test
  void massFreezeTakesAllButProtectedWhitelistedZombiesAndStopped() throws Exception {
    assertEquals(Set.of("300:70", "301:71", "400:80", "401:81"), picked(actions("whitelist: [nginx]\n").massFreeze()));
  }

  @Test
  void maxProcessesToFreezeCaps() throws Exception {
    assertEquals(2, picked(actions("max_processes_to_freeze: 2\n").massFreeze()).size());
  }

  @Test
  void clustersMatchByUserNameUidAndCgroupPrefix() throws Exception {
    String yaml = "clusters:\n  dev: {users: [builder]}\n  web: {users: [\"33\"]}\n"
        + "  batch: {cgroups: [/system.slice/batch.service]}\n  all_sshd: {names: [sshd]}\n";
    ProcessActions a = actions(yaml);
    assertEquals(Set.of("300:70", "301:71"), picked(a.massFreezeCluster("dev")));
    assertEquals(Set.of("200:60", "201:61"), picked(a.massFreezeCluster("web")));
    assertEquals(Set.of("400:80"), picked(a.massFreezeCluster("batch")), "cgroup prefix must end at a path boundary");
    assertEquals(ActionResult.Status.SKIPPED, a.massFreezeCluster("all_sshd").status(), "protected names stay protected");
    assertEquals(Set.of(), Set.copyOf(a.massFreezeCluster("all_sshd").affected()));
  }
}
