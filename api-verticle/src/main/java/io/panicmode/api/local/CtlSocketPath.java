package io.panicmode.api.local;

import io.panicmode.config.PanicConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the local control socket lives: {@code firewall.ctl_socket} (env
 * {@code PANICMODE_CTL_SOCKET}). Its default, {@code /run/panicmode/ctl.sock}, is only writable by
 * root, so a daemon running as another user puts it next to its data instead
 * ({@code <directory of storage.incident_db>/ctl.sock}); a path set explicitly is used as given.
 * The client ({@code panicmode ctl}) and the server resolve it the same way.
 */
public final class CtlSocketPath {
  public static final String DEFAULT = "/run/panicmode/ctl.sock";
  /** sockaddr_un.sun_path holds 108 bytes including the terminating NUL. */
  static final int MAX_PATH_BYTES = 107;

  private CtlSocketPath() {}

  /**
   * The socket path for this config, or null when {@code ctl_socket} is empty (no local socket).
   *
   * @throws IllegalArgumentException when the path is too long for a Unix socket
   */
  public static Path resolve(PanicConfig cfg, boolean root) {
    String configured = cfg.firewall().ctlSocket();
    if (configured == null || configured.isBlank()) return null;
    Path path;
    if (!root && configured.equals(DEFAULT)) {
      Path db = Path.of(cfg.storage().incidentDb()).toAbsolutePath().normalize();
      path = db.getParent().resolve("ctl.sock");
    } else {
      path = Path.of(configured).toAbsolutePath().normalize();
    }
    if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new IllegalArgumentException("firewall.ctl_socket: " + path + " is longer than " + MAX_PATH_BYTES
          + " bytes, the limit of a Unix socket path");
    }
    return path;
  }

  /** True when this process runs as uid 0. */
  public static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
