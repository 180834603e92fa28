package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** packaging/bin/panicmode-ctl points `panicmode ctl` at this host's API config and passes the rest through. */
class CtlWrapperTest {
  @TempDir Path tmp;

  /** Runs the wrapper with a stand-in `panicmode` that prints what it was given. */
  private String run(Map<String, String> env, String... args) throws Exception {
    Path fake = tmp.resolve("fake-panicmode");
    Files.writeString(fake, "#!/bin/sh\necho \"config=${PANICMODE_CONFIG:-}|opts=$PANICMODE_JVM_OPTS|args=$*\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    String[] cmd = new String[args.length + 2];
    cmd[0] = "sh";
    cmd[1] = Repo.path("packaging/bin/panicmode-ctl").toString();
    System.arraycopy(args, 0, cmd, 2, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("PANICMODE_CONFIG");
    pb.environment().remove("PANICMODE_JVM_OPTS");
    pb.environment().put("PANICMODE_BIN", fake.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void picksTheApiConfigOfThisHost() throws Exception {
    Path etc = Files.createDirectories(tmp.resolve("etc"));
    Map<String, String> env = new HashMap<>(Map.of("PANICMODE_ETC", etc.toString()));
    assertTrue(run(env, "status").startsWith("config=|"), "no config: ctl's own defaults");

    Files.writeString(etc.resolve("config.yaml"), "{}\n");
    assertTrue(run(env, "status").startsWith("config=" + etc.resolve("config.yaml") + "|"));

    Files.writeString(etc.resolve("central.yaml"), "{}\n");
    String out = run(env, "list", "--all");
    assertTrue(out.startsWith("config=" + etc.resolve("central.yaml") + "|"), "the API runs in the central process: " + out);
    assertTrue(out.endsWith("|args=ctl list --all"), out);

    env.put("PANICMODE_CONFIG", "/elsewhere.yaml");
    assertTrue(run(env, "status").startsWith("config=/elsewhere.yaml|"), "an explicit PANICMODE_CONFIG wins");
  }

  @Test
  void jvmFlagsAreLeftToPanicmodeUnlessTheOperatorGivesSome() throws Exception {
    // bin/panicmode picks a short-lived client's flags (and its class archive) for ctl itself.
    String out = run(Map.of("PANICMODE_ETC", tmp.toString()), "status");
    assertTrue(out.contains("|opts=|"), out);
    assertTrue(run(Map.of("PANICMODE_ETC", tmp.toString(), "PANICMODE_CTL_JVM_OPTS", "-Xmx99m"), "status").contains("opts=-Xmx99m|"));
  }
}
