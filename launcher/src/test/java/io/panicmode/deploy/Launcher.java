package io.panicmode.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** This build's launcher as a separate program, the way the image and the units start it. */
final class Launcher {
  private Launcher() {}

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String classpath() {
    return System.getProperty("java.class.path");
  }

  /** The Hazelcast module flags bin/panicmode adds to every start. */
  static List<String> hazelcastFlags() {
    Matcher m = Pattern.compile("(?s)\\nhazelcast=\"(.*?)\"").matcher(Repo.read("bin/panicmode"));
    assertTrue(m.find(), "bin/panicmode: no hazelcast=\"...\" line");
    return Repo.words(m.group(1).replace("\\\n", " "));
  }

  /** Writes an executable {@code panicmode} into {@code dir} that runs this build's launcher. */
  static Path shim(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path shim = dir.resolve("panicmode");
    Files.writeString(shim, "#!/bin/sh\nexec '" + java() + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '"
        + classpath() + "' io.panicmode.launcher.Main \"$@\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    return shim;
  }
}
