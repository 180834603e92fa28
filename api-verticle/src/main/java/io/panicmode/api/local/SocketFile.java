package io.panicmode.api.local;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file side of the control socket: making room before binding, opening it to local readers
 * after, removing it at the end. Blocking calls; run them off the event loop.
 */
public final class SocketFile {
  private SocketFile() {}

  /**
   * Creates the parent directory (0755) and removes a stale socket left by a process that died.
   *
   * @throws IOException when another process is serving on the path, or the path is not a socket
   */
  public static void prepare(Path path) throws IOException {
    Path dir = path.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
    Object type = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    // S_IFSOCK is 0140000: anything else at this path is not ours to delete.
    if (!(type instanceof Integer mode) || (mode & 0170000) != 0140000) {
      throw new IOException(path + " exists and is not a socket");
    }
    if (answers(path)) throw new IOException(path + " is in use by another running PanicMode");
    Files.delete(path);
  }

  /** True when something accepts connections on the socket. */
  public static boolean answers(Path path) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return ch.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException e) {
      return false;
    }
  }

  /** Lets every local user connect; what each may do is decided per request from its credentials. */
  public static void openToLocalUsers(Path path) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
  }

  /** Removes the socket file if it is still there. */
  public static void remove(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // A leftover socket is removed as stale by the next start.
    }
  }
}
