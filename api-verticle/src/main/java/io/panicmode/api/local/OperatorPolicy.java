package io.panicmode.api.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may change things through the local control socket: root, the user the daemon runs as, and
 * members of the {@value #GROUP} group (as primary group, or listed in {@code /etc/group}).
 * Everyone else who can open the socket may read (list, status, incidents) but not block, unblock,
 * thaw or reload.
 */
public final class OperatorPolicy {
  public static final String GROUP = "panicmode";

  private final String daemonUser;
  private final Set<String> groupMembers;

  /**
   * @param daemonUser the user this process runs as
   * @param groupFile  the text of {@code /etc/group} (empty when unreadable)
   */
  public OperatorPolicy(String daemonUser, String groupFile) {
    this.daemonUser = daemonUser;
    this.groupMembers = membersOf(groupFile, GROUP);
  }

  /** For the running daemon: its own user, and {@code /etc/group} as it is now. */
  public static OperatorPolicy forThisProcess() {
    String groups;
    try {
      groups = Files.readString(Path.of("/etc/group"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      groups = "";
    }
    return new OperatorPolicy(System.getProperty("user.name"), groups);
  }

  public boolean mayMutate(PeerCredentials.Peer peer) {
    return "root".equals(peer.user()) || peer.user().equals(daemonUser) || GROUP.equals(peer.group())
        || groupMembers.contains(peer.user());
  }

  /** Supplementary members of {@code group} in {@code /etc/group} format ({@code name:x:gid:a,b,c}). */
  static Set<String> membersOf(String groupFile, String group) {
    return groupFile.lines()
        .map(line -> line.split(":", -1))
        .filter(f -> f.length >= 4 && f[0].equals(group))
        .flatMap(f -> Arrays.stream(f[3].split(",")))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
