package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.action.process.ProcFs;
import io.panicmode.action.process.ProcInfo;
import io.panicmode.action.process.ProcessSource;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.ProcessRef;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process actions on real processes the test spawns: busy loops and sleeps under names chosen
 * through symlinks ("burner", "idler", and "sshd" for a protected one). The verticle sees only
 * those processes (so the test never touches anything else on the machine), but signals them
 * for real; states are read back from /proc.
 */
@ExtendWith(VertxExtension.class)
class ProcessActionsTest {
  @TempDir Path dir;
  Vertx vertx;
  final List<ProcessHandle> spawned = new ArrayList<>();
  final Set<Integer> scope = ConcurrentHashMap.newKeySet();
  final ProcFs proc = new ProcFs(Path.of("/proc"));

  /** /proc limited to the test's own processes for listing; reads stay unfiltered so pid checks are real. */
  final ProcessSource scoped = new ProcessSource() {
    @Override public List<ProcInfo> list() { return scope.stream().map(proc::read).flatMap(Optional::stream).toList(); }

    @Override public Optional<ProcInfo> read(int pid) { return proc.read(pid); }
  };

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (ProcessHandle p : spawned) {
      p.destroyForcibly();
      new ProcessBuilder("/usr/bin/kill", "-s", "CONT", Long.toString(p.pid())).start().waitFor();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ProcInfo spawn(String name, boolean busy) throws Exception {
    Path link = dir.resolve(name);
    if (!Files.exists(link)) Files.createSymbolicLink(link, Path.of(busy ? "/bin/bash" : "/bin/sleep"));
    // Started through a shell that exits at once, so the process is not a child of this JVM
    // (PanicMode's own children are protected, and the test JVM stands in for PanicMode).
    // Both end by themselves within two minutes, should the test JVM die before tearDown.
    String args = busy ? "-c 'while [ $SECONDS -lt 120 ]; do :; done'" : "120";
    Process starter = new ProcessBuilder("/bin/sh", "-c", "'" + link + "' " + args + " >/dev/null 2>&1 </dev/null & echo $!").start();
    int pid = Integer.parseInt(new String(starter.getInputStream().readAllBytes()).strip());
    starter.waitFor();
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    spawned.add(p);
    scope.add(pid);
    return Await.value("spawned process " + name + " visible in /proc", () -> proc.read((int) p.pid()),
        info -> info.isPresent() && info.get().name().equals(name)).orElseThrow();
  }

  /** Running or sleeping, not stopped: right after SIGCONT a sleeper may show R for a moment. */
  private void assertRunning(ProcInfo p, String... why) {
    char st = state(p);
    assertTrue(st == 'R' || st == 'S', (why.length > 0 ? why[0] + ": " : "") + p.name() + " is in state " + st);
  }

  private char state(ProcInfo p) {
    return proc.read(p.pid()).filter(i -> i.startTime() == p.startTime()).map(ProcInfo::state).orElse('-');
  }

  private void deploy(String massFreezeYaml, String extra) throws Exception {
    if (massFreezeYaml != null) Files.writeString(dir.resolve("mass_freeze.yaml"), massFreezeYaml);
    var cfg = TestSupport.config(dir, extra);
    TestSupport.deploy(vertx, new ActionVerticle(TestSupport.local(cfg),
        HostEnv.real().withProcesses(scoped, Duration.ofMillis(1000))));
  }

  private ActionResult op(String op, List<ProcessRef> refs) throws Exception {
    return TestSupport.send(vertx, TestSupport.command(op, List.of(), refs, ""));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void freezeTopFreezesTheBusyProcessButNeverAProtectedOneAndThawRestoresIt() throws Exception {
    deploy("top_cpu: {count: 3, min_cpu_to_freeze: 1.0}\n", "");
    ProcInfo burner = spawn("burner", true);
    ProcInfo sshd = spawn("sshd", true);
    ProcInfo idler = spawn("idler", false);

    ActionResult r = op("freeze_top_process", List.of());
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(List.of(burner.key()), r.affected());
    assertEquals('T', state(burner));
    assertTrue(state(sshd) == 'R' || state(sshd) == 'S', "protected sshd touched: " + state(sshd));
    assertEquals('S', state(idler));

    // An operator who knows only the pid (start time 0) thaws what PanicMode froze under it, and nothing else.
    r = op("thaw", List.of(new ProcessRef(idler.pid(), 0, "")));
    assertEquals(ActionResult.Status.SKIPPED, r.status(), r.reason());
    assertTrue(r.reason().contains("not frozen by PanicMode"), r.reason());
    r = op("thaw", List.of(new ProcessRef(burner.pid(), 0, "")));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(List.of(burner.key()), r.affected());
    assertTrue(state(burner) == 'R' || state(burner) == 'S');
    assertEquals(ActionResult.Status.SKIPPED, op("thaw", List.of()).status(), "nothing left frozen");
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void processSubjectsOnOpsThatTakeNoneAreIgnored() throws Exception {
    deploy(null, "");
    ProcInfo idler = spawn("idler", false);
    ActionResult r = op("snapshot", List.of(idler.ref()));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals('S', state(idler));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aRecycledPidIsNeverSignalledAndAnExactRefIsKilled() throws Exception {
    deploy(null, "");
    ProcInfo victim = spawn("idler", false);
    ProcessRef recycled = new ProcessRef(victim.pid(), victim.startTime() + 1, "idler");
    ActionResult r = op("kill_process", List.of(recycled));
    assertEquals(ActionResult.Status.SKIPPED, r.status());
    assertTrue(r.reason().contains("recycled"), r.reason());
    assertEquals('S', state(victim), "a process under a recycled pid was signalled");

    r = op("thaw", List.of(recycled));
    assertTrue(r.affected().isEmpty(), "thaw signalled a recycled pid");

    r = op("kill_process", List.of(victim.ref()));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    Await.until("the killed process gone", () -> !spawned.get(0).isAlive());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void killProcessNeverKillsAProtectedOneEvenWhenNamedExplicitly() throws Exception {
    deploy(null, "");
    ProcInfo sshd = spawn("sshd", false);
    ActionResult r = op("kill_process", List.of(sshd.ref()));
    assertEquals(ActionResult.Status.SKIPPED, r.status());
    assertTrue(r.reason().contains("protected name"), r.reason());
    assertEquals('S', state(sshd));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void massFreezeHonoursWhitelistAndMassFreezeTopIgnoresIt() throws Exception {
    deploy("top_cpu: {count: 1}\nwhitelist: [\"burn*\"]\n", "");
    ProcInfo burner = spawn("burner", true);
    ProcInfo idler = spawn("idler", false);
    ProcInfo sshd = spawn("sshd", false);

    ActionResult r = op("mass_freeze", List.of());
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(List.of(idler.key()), r.affected());
    assertEquals('T', state(idler));
    assertTrue(state(burner) != 'T' && state(sshd) != 'T');
    op("thaw", List.of());
    assertRunning(idler);

    r = op("mass_freeze_top", List.of());
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(List.of(burner.key()), r.affected(), "mass_freeze_top must ignore the whitelist");
    assertEquals('T', state(burner));
    op("thaw", List.of());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void namedClusterFreezesItsMembersAndFreezeTimeoutThawsThem() throws Exception {
    deploy("clusters:\n  builds: {names: [\"cc1*\", make]}\nfreeze_timeout: 1s\n", "");
    ProcInfo cc1 = spawn("cc1plus", false);
    ProcInfo make = spawn("make", false);
    ProcInfo other = spawn("idler", false);
    ActionResult r = TestSupport.send(vertx, TestSupport.command("mass_freeze_cluster:builds", List.of(), List.of(), ""));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(Set.of(cc1.key(), make.key()), Set.copyOf(r.affected()));
    assertEquals('T', state(cc1));
    assertEquals('S', state(other));
    Await.until("freeze_timeout thawed cc1", () -> state(cc1) != 'T');
    assertRunning(cc1, "freeze_timeout did not thaw");
    assertRunning(make);

    r = TestSupport.send(vertx, TestSupport.command("mass_freeze_cluster", List.of(), List.of(), "nosuch"));
    assertEquals(ActionResult.Status.FAILED, r.status());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void dryRunSignalsNothing() throws Exception {
    deploy("dry_run: true\n", "");
    ProcInfo idler = spawn("idler", false);
    ActionResult r = op("mass_freeze", List.of());
    assertEquals(ActionResult.Status.SKIPPED, r.status());
    assertTrue(r.reason().startsWith("dry run"), r.reason());
    assertEquals(List.of(idler.key()), r.affected());
    assertEquals('S', state(idler));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void anInvalidMassFreezeFileStopsTheStartWithAClearError() throws Exception {
    Files.writeString(dir.resolve("mass_freeze.yaml"), "top_cpu: {count: 0}\nclusterz: {}\n");
    var cfg = TestSupport.config(dir, "");
    Exception e = assertThrows(Exception.class, () -> TestSupport.deploy(vertx, new ActionVerticle(TestSupport.local(cfg))));
    String msg = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
    assertTrue(msg.contains("mass_freeze.yaml") && msg.contains("top_cpu.count") && msg.contains("clusterz"), msg);
  }
}
