package io.panicmode.api;

import io.vertx.core.Handler;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Answers only requests addressed to this API by name: the {@code Host} header must be the bind
 * address, {@code localhost}, or one of {@code http_api.allowed_hosts}; with a wildcard bind
 * ({@code 0.0.0.0}, {@code ::}) any IP literal is the bind address too. Anything else gets 421 on
 * every route. Why: the GET routes need no token, and without this check a web page whose name an
 * attacker re-points at 127.0.0.1 (DNS rebinding) could read them from the victim's browser. A
 * name that resolves to us but is not listed is exactly what such a page sends.
 */
final class HostCheck implements Handler<RoutingContext> {
  private final Set<String> names = new HashSet<>();
  private final boolean anyIpLiteral;

  HostCheck(String bindHost, List<String> allowedHosts) {
    String bind = normalize(bindHost);
    anyIpLiteral = bind.equals("0.0.0.0") || bind.equals("::") || bind.isEmpty();
    names.add(bind);
    names.add("localhost");
    for (String h : allowedHosts) names.add(normalize(h));
  }

  @Override
  public void handle(RoutingContext rc) {
    HostAndPort authority = rc.request().authority();
    String host = authority == null ? null : normalize(authority.host());
    if (host != null && (names.contains(host) || anyIpLiteral && isIpLiteral(host))) {
      rc.next();
      return;
    }
    rc.response().putHeader("Connection", "close");
    Http.error(rc, 421, host == null ? "missing Host header"
        : "this API does not answer for host \"" + Params.clip(host) + "\" (add it to http_api.allowed_hosts)");
  }

  /** Lower case, without IPv6 brackets or a trailing dot. */
  static String normalize(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    return h;
  }

  /** An IPv4 dotted quad or an IPv6 literal: names, which DNS rebinding needs, never match. */
  static boolean isIpLiteral(String host) {
    return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || host.indexOf(':') >= 0 && host.matches("[0-9a-f:.]+");
  }
}
