package io.panicmode.api.local;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who is on the other end of a Unix-socket HTTP connection, from the kernel's SO_PEERCRED.
 *
 * <p>Why this way: Vert.x serves Unix sockets on the JDK (NIO) transport through Netty's
 * {@code NioDomainSocketChannel}, which wraps a plain {@code java.nio.channels.SocketChannel}.
 * Since Java 16 such a channel answers {@link ExtendedSocketOptions#SO_PEERCRED} with the peer's
 * user and primary group, and Netty's {@link NioChannelOption} passes any JDK socket option
 * through to it. So no native code and no reflection is needed; the one non-public piece is
 * Vert.x's {@link ConnectionBase#channel()} to reach the Netty channel. When the credentials
 * cannot be read (another transport, another Vert.x version), the answer is empty and callers
 * treat the peer as unprivileged: the failure closes the door, never opens it.
 */
public final class PeerCredentials {
  private static final ChannelOption<UnixDomainPrincipal> PEERCRED = NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED);

  private PeerCredentials() {}

  /** The peer's user and primary group names, when the connection is a Unix socket that tells them. */
  public static Optional<Peer> of(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) return Optional.empty();
    Channel channel = base.channel();
    try {
      UnixDomainPrincipal p = channel.config().getOption(PEERCRED);
      return p == null ? Optional.empty() : Optional.of(new Peer(p.user().getName(), p.group().getName()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A local peer: user name and primary group name (numeric when the system has no name for them). */
  public record Peer(String user, String group) {}
}
