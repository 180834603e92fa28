package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.action.firewall.BanPolicy;
import io.panicmode.action.process.Glob;
import io.panicmode.action.process.MassFreezeConfig;
import io.panicmode.action.process.ProcFs;
import io.panicmode.action.process.ProcInfo;
import io.panicmode.action.process.Protection;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Pure logic: mass_freeze.yaml fixtures, /proc parsing, globs, protection, ban durations, op parsing. */
class UnitTest {

  static Stream<Path> files(String folder) throws IOException, URISyntaxException {
    Path dir = Path.of(UnitTest.class.getResource("/mass_freeze/" + folder).toURI());
    return Files.list(dir).sorted();
  }

  static Stream<Path> valid() throws Exception { return files("valid"); }

  static Stream<Path> invalid() throws Exception { return files("invalid"); }

  private static String expectation(Path p) throws IOException {
    String first = Files.readAllLines(p).get(0);
    assertTrue(first.startsWith("# expect: "), p + " must start with '# expect: ...'");
    return first.substring("# expect: ".length());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validMassFreezeFiles(Path p) throws Exception {
    MassFreezeConfig c = MassFreezeConfig.load(p);
    String got = "count=" + c.topCount() + " min=" + c.minCpuToFreeze() + " whitelist=" + c.whitelist() + " clusters="
        + List.copyOf(c.clusters().keySet()) + " timeout=" + c.freezeTimeout() + " max=" + c.maxProcessesToFreeze()
        + " dry=" + c.dryRun();
    assertEquals(expectation(p), got);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidMassFreezeFilesNameTheProblem(Path p) throws Exception {
    String expected = expectation(p);
    MassFreezeConfig.InvalidException e = assertThrows(MassFreezeConfig.InvalidException.class, () -> MassFreezeConfig.load(p));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().startsWith(p.toString()), "error must name the file: " + e.getMessage());
  }

  @Test
  void absentMassFreezeFileMeansDefaults() throws Exception {
    assertEquals(MassFreezeConfig.DEFAULTS, MassFreezeConfig.load(Path.of("/nonexistent/mass_freeze.yaml")));
  }

  private static String fixture(String name) throws Exception {
    return Files.readString(Path.of(UnitTest.class.getResource("/proc/" + name).toURI()));
  }

  @Test
  void statParsingSurvivesHostileProcessNames() throws Exception {
    ProcFs.Stat s = ProcFs.parseStat(fixture("stat-weird-name.txt")).orElseThrow();
    assertEquals("weird ) (name", s.comm());
    assertEquals('S', s.state());
    assertEquals(1, s.ppid());
    assertEquals(1234 + 567, s.utime() + s.stime());
    assertEquals(987654, s.startTime());
    ProcFs.Stat k = ProcFs.parseStat(fixture("stat-kthreadd.txt")).orElseThrow();
    assertTrue((k.flags() & 0x00200000L) != 0, "kthreadd carries PF_KTHREAD");
    assertEquals(Optional.empty(), ProcFs.parseStat("123 (no closing paren S 1 2 3"));
    assertEquals(Optional.empty(), ProcFs.parseStat("123 (x) S 1"));
    assertEquals(Optional.empty(), ProcFs.parseStat(""));
  }

  /**
   * Kernel threads are told by PF_KTHREAD in /proc/PID/stat, not by ancestry: in a container
   * with its own PID namespace, PID 2 and its children are ordinary processes.
   */
  @ParameterizedTest(name = "{0} pid {1}: kernel thread {2}")
  @CsvSource({"tree-container, 2, false", "tree-container, 30, false", "tree-host, 2, true", "tree-host, 57, true"})
  void kernelThreadsByTheirFlags(String tree, int pid, boolean kernelThread) throws Exception {
    ProcFs fs = new ProcFs(Path.of(UnitTest.class.getResource("/proc/" + tree).toURI()));
    assertEquals(kernelThread, fs.read(pid).orElseThrow().kernelThread());
  }

  @Test
  void ownProcessTreeFromRealProc() {
    ProcFs fs = new ProcFs(Path.of("/proc"));
    ProcInfo me = fs.read((int) ProcessHandle.current().pid()).orElseThrow();
    assertTrue(me.startTime() > 0);
    assertTrue(fs.list().stream().anyMatch(p -> p.pid() == me.pid()));
    assertTrue(new Protection(me.pid()).why(me).isPresent(), "PanicMode's own process must be protected");
  }

  @ParameterizedTest
  @CsvSource({"sshd,true", "systemd,true", "systemd-journal,true", "dbus-daemon,true", "agetty,true", "getty,true",
      "init,true", "kthreadd,true", "panicmode,true", "sshd-session,true", "nginx,false", "ssh,false", "java,false",
      "xsshd,false", "initd,false"})
  void protectedNames(String name, boolean spared) {
    ProcInfo p = new ProcInfo(4000, 3000, 1, name, 'R', 0, 0, false, 0, "");
    assertEquals(spared, new Protection(1).why(p).isPresent(), name);
  }

  @Test
  void protectionRules() {
    Protection prot = new Protection(500);
    assertTrue(prot.why(new ProcInfo(1, 0, 1, "anything", 'S', 0, 0, false, 0, "")).isPresent(), "pid 1");
    assertTrue(prot.why(new ProcInfo(600, 500, 1, "block.sh", 'S', 0, 0, false, 0, "")).isPresent(), "our child");
    assertTrue(prot.why(new ProcInfo(700, 2, 1, "kworker/0:1", 'I', 0, 0, true, 0, "")).isPresent(), "kernel thread");
    assertTrue(prot.why(new ProcInfo(800, 1, 1, "postgres", 'S', 0, 0, false, -1000, "")).isPresent(), "oom -1000");
    assertFalse(prot.why(new ProcInfo(900, 1, 1, "postgres", 'S', 0, 0, false, -999, "")).isPresent());
  }

  @ParameterizedTest
  @CsvSource({"cc1*,cc1plus,true", "cc1*,cc1,true", "cc1*,xcc1,false", "make,make,true", "make,cmake,false",
      "?ake,make,true", "*,anything,true", "a*b*c,aXXbYYc,true", "a*b*c,aXXbYY,false", "*.sh,x.sh,true",
      "'',x,false", "a**,a,true"})
  void globs(String pattern, String name, boolean match) {
    assertEquals(match, Glob.matches(pattern, name), pattern + " vs " + name);
  }

  @Test
  void globStaysFastOnAdversarialInput() {
    String name = "a".repeat(15);
    String pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
    long t0 = System.nanoTime();
    for (int i = 0; i < 10_000; i++) assertFalse(Glob.matches(pattern, name));
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "glob matching is not linear-ish");
  }

  @Test
  void policyProtectsMembersInterfacesAndWhitelistWithoutDns() {
    var p = new io.panicmode.action.firewall.IpPolicy(io.panicmode.contracts.net.IpSet.parse(List.of("198.51.100.0/24")),
        List.of("203.0.113.1", ActionVerticle.hostOf("[2001:db8::5]:5701"), ActionVerticle.hostOf("node.example:5701")), false);
    assertFalse(p.decide("203.0.113.1").allowed(), "cluster member");
    assertFalse(p.decide("2001:db8::5").allowed(), "cluster member given as [v6]:port");
    assertTrue(p.decide("203.0.113.2").allowed());
    p.interfaceAddresses(List.of("203.0.113.2", "fe80::1%eth0"));
    assertFalse(p.decide("203.0.113.2").allowed(), "a new interface address");
    p.interfaceAddresses(List.of());
    assertTrue(p.decide("203.0.113.2").allowed(), "an address the host no longer has");
    assertFalse(p.decide("203.0.113.1").allowed(), "configured members stay protected");
    assertFalse(p.decide("::ffff:198.51.100.7").allowed(), "whitelist through mapped IPv6");
    assertEquals("not a plain IP address", p.decide("node.example").refusal());
    assertEquals("203.0.113.1", ActionVerticle.hostOf("203.0.113.1:5701"));
    assertEquals("::1", ActionVerticle.hostOf("::1"));
  }

  @Test
  void banDurationsEscalateAndCap() {
    BanPolicy p = new BanPolicy(Duration.ofMinutes(10), 2.0, Duration.ofHours(1));
    assertEquals(600_000L, p.expiresAt(0, 1, 0));
    assertEquals(1_200_000L, p.expiresAt(0, 2, 0));
    assertEquals(2_400_000L, p.expiresAt(0, 3, 0));
    assertEquals(3_600_000L, p.expiresAt(0, 4, 0));
    assertEquals(3_600_000L, p.expiresAt(0, 400, 0));
    assertEquals(30_000L, p.expiresAt(0, 1, 30), "an operator's duration replaces the base");
    BanPolicy permanent = new BanPolicy(null, 2.0, Duration.ofDays(7));
    assertNull(permanent.expiresAt(0, 5, 0));
    assertEquals(90_000L, permanent.expiresAt(0, 1, 90));
  }
}
