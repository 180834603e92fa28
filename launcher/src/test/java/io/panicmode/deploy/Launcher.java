package io.panicmode.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** This build's launcher as a separate program, the way the image and the units start it. */
final class Launcher {
  private Launcher() {}

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String classpath() {
    return System.getProperty("java.class.path");
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
