package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Dockerfile builds from what the build context holds and runs the jar as bin/panicmode does. */
class DockerfileTest {
  /** One instruction: keyword and its (continuation-joined) arguments. */
  record Instruction(String keyword, String args, int stage) {}

  private static final List<Instruction> instructions = new ArrayList<>();
  private static final List<String> ignore = new ArrayList<>();

  @BeforeAll
  static void load() {
    String joined = Repo.read("Dockerfile").replaceAll("\\\\\\n", " ");
    int stage = -1;
    for (String line : joined.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      int sp = l.indexOf(' ');
      String kw = (sp < 0 ? l : l.substring(0, sp)).toUpperCase();
      if (kw.equals("FROM")) stage++;
      instructions.add(new Instruction(kw, sp < 0 ? "" : l.substring(sp + 1).strip(), stage));
    }
    for (String line : Repo.read(".dockerignore").split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) ignore.add(l);
    }
  }

  static List<Instruction> all(String kw) {
    return instructions.stream().filter(i -> i.keyword().equals(kw)).toList();
  }

  static boolean ignored(String relative) {
    for (String pattern : ignore) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      Path p = Path.of(relative);
      for (int n = 1; n <= p.getNameCount(); n++) {
        if (m.matches(p.subpath(0, n))) return true;
      }
    }
    return false;
  }

  @Test
  void twoStagesBuildTheLauncherJar() {
    List<Instruction> from = all("FROM");
    assertEquals(2, from.size(), "multi-stage: build and runtime");
    assertTrue(from.get(0).args().matches("maven:\\S*(temurin|jdk)-?17\\S* AS build"), from.get(0).args());
    assertTrue(from.get(1).args().matches("eclipse-temurin:17-jre\\S*"), from.get(1).args());
    assertTrue(all("RUN").stream().anyMatch(r -> r.stage() == 0 && r.args().contains("-pl launcher -am")
        && r.args().contains("package") && r.args().contains("-DskipTests")));
    assertTrue(all("COPY").stream().anyMatch(c -> c.args().equals(
        "--from=build /src/launcher/target/panicmode.jar /usr/share/panicmode/panicmode.jar")));
    assertTrue(Repo.read("bin/panicmode").contains("/usr/share/panicmode/panicmode.jar"),
        "bin/panicmode finds the jar where the image puts it");
  }

  @Test
  void everyReactorModuleIsInTheBuildContext() {
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Repo.read("pom.xml"));
    List<String> copied = all("COPY").stream().filter(c -> c.stage() == 0).map(c -> c.args().split("\\s+")[0]).toList();
    int modules = 0;
    while (m.find()) {
      modules++;
      String module = m.group(1);
      assertTrue(copied.contains(module) || copied.contains(module + "/pom.xml"),
          "the reactor reads " + module + "/pom.xml; the build stage does not copy it");
      assertFalse(ignored(module + "/pom.xml"), ".dockerignore hides " + module + "/pom.xml");
    }
    assertTrue(modules >= 8);
  }

  @Test
  void copiedSourcesExistAndAreNotIgnored() {
    for (Instruction c : all("COPY")) {
      if (c.args().startsWith("--from=")) continue;
      String[] parts = c.args().split("\\s+");
      for (int i = 0; i < parts.length - 1; i++) {
        String src = parts[i].replaceAll("/$", "");
        assertTrue(Files.exists(Repo.path(src)), "COPY " + src + ": missing");
        assertFalse(ignored(src), "COPY " + src + ": excluded by .dockerignore");
      }
    }
    assertTrue(ignored("launcher/target/panicmode.jar"), "build output stays out of the context");
    assertTrue(ignored(".git/config"));
  }

  @Test
  void runtimeRunsTheStartScriptAsPanicmodeWithItsFlags() {
    List<Instruction> env = all("ENV").stream().filter(e -> e.args().startsWith("PANICMODE_JVM_OPTS=")).toList();
    assertEquals(1, env.size());
    String value = env.get(0).args().substring("PANICMODE_JVM_OPTS=".length()).replace("\"", "");
    assertEquals(Repo.defaultJvmFlags(), Repo.words(value), "the same flags as bin/panicmode");
    List<Instruction> users = all("USER");
    assertEquals("panicmode", users.get(users.size() - 1).args(), "the image runs unprivileged by default");
    assertTrue(all("RUN").stream().anyMatch(r -> r.args().contains("--uid " + Repo.PANICMODE_UID)
        && r.args().contains("--gid " + Repo.PANICMODE_UID)), "user panicmode is uid/gid " + Repo.PANICMODE_UID);
    assertEquals("[\"/usr/bin/panicmode\"]", all("ENTRYPOINT").get(0).args());
    assertTrue(all("COPY").stream().anyMatch(c -> c.args().equals("bin/panicmode /usr/bin/panicmode")));
    assertTrue(all("COPY").stream().anyMatch(c -> c.args().equals("packaging/bin/panicmode-ctl /usr/bin/panicmode-ctl")));
    assertTrue(all("RUN").stream().anyMatch(r -> r.args().contains("nftables")), "the nft ban backend needs nft");
    assertTrue(all("RUN").stream().anyMatch(r -> r.args().contains("sqlite3")), "docs/operations.md backs up with sqlite3");
    String cmd = all("CMD").get(0).args();
    assertTrue(cmd.contains("\"/etc/panicmode/config.yaml\""), cmd);
  }

  @Test
  void imageCreatesEveryProcessDirectoryWithItsOwner() {
    String run = all("RUN").stream().map(Instruction::args).filter(a -> a.contains("useradd")).findFirst().orElseThrow();
    // Root's: the action process of a privilege-separated host, and the fleet agent (compose, k8s).
    assertTrue(run.matches(".*install -d -o root -g root -m 0700 /var/lib/panicmode/action /var/log/panicmode/action\\s+"
        + "/var/lib/panicmode/agent /var/log/panicmode/agent .*"), run);
    for (String kind : List.of("sensor", "central")) {
      assertTrue(run.contains("/var/lib/panicmode/" + kind) && run.contains("/var/log/panicmode/" + kind), kind);
    }
  }
}
