package io.panicmode.api;

import io.panicmode.api.local.OperatorPolicy;
import io.panicmode.api.local.PeerCredentials;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards mutating routes on the local control socket by who the kernel says is connected
 * (SO_PEERCRED), not by a token: {@link OperatorPolicy} decides. A peer whose credentials cannot
 * be read is refused (403) like any unprivileged one. Every allowed mutation is logged with the
 * peer's user, as the bearer token's holder cannot be.
 */
final class PeerAuth implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(PeerAuth.class);
  private final OperatorPolicy policy;

  PeerAuth(OperatorPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void handle(RoutingContext rc) {
    Optional<PeerCredentials.Peer> peer = PeerCredentials.of(rc.request().connection());
    if (peer.isEmpty()) {
      Http.error(rc, 403, "the peer's credentials could not be read from the ctl socket; changes are refused");
      return;
    }
    PeerCredentials.Peer p = peer.get();
    if (!policy.mayMutate(p)) {
      Http.error(rc, 403, "user " + Params.clip(p.user()) + " may only read: changes need root or the "
          + OperatorPolicy.GROUP + " group");
      return;
    }
    LOG.info("ctl socket: {} {} by user {} (group {})", rc.request().method(), rc.request().path(), p.user(), p.group());
    rc.next();
  }
}
