package io.panicmode.action.firewall;

import io.panicmode.contracts.net.BanRules;
import io.panicmode.contracts.net.IpSet;
import io.panicmode.contracts.net.StrictIp;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, for text claiming to be an IP, whether it may be banned here. The text is parsed by
 * {@link StrictIp} (IPv4-mapped IPv6 reduced to IPv4 first), and the canonical form is then
 * checked against the rules every role applies ({@link BanRules}: the ranges that are never
 * blocked, {@code firewall.whitelist}, private networks unless
 * {@code firewall.ban_private_networks}) and, here only, this host's own addresses and the
 * configured cluster members. Pure: no I/O, no DNS.
 */
public final class IpPolicy {
  /** The canonical IP, or why it may not be banned (then {@code canonical} may be null). */
  public record Decision(String canonical, String refusal) {
    public boolean allowed() { return refusal == null; }
  }

  private final BanRules rules;
  private final Set<String> fixed;
  /** Fixed addresses plus this host's current interface addresses; replaced whole, read lock-free. */
  private volatile Set<String> protectedAddresses;

  /**
   * @param whitelist          {@code firewall.whitelist}
   * @param protectedAddresses this host's addresses and the cluster members', as text; entries
   *                           that are not plain IPs (host names) are ignored here: no DNS
   * @param banPrivateNetworks {@code firewall.ban_private_networks}
   */
  public IpPolicy(IpSet whitelist, Collection<String> protectedAddresses, boolean banPrivateNetworks) {
    this.rules = new BanRules(whitelist, banPrivateNetworks);
    this.fixed = canonicalSet(protectedAddresses);
    this.protectedAddresses = fixed;
  }

  /** This host's interface addresses changed (DHCP, a new interface): protect the current ones. */
  public void interfaceAddresses(Collection<String> current) {
    Set<String> all = new java.util.HashSet<>(fixed);
    all.addAll(canonicalSet(current));
    protectedAddresses = Set.copyOf(all);
  }

  private static Set<String> canonicalSet(Collection<String> addrs) {
    return addrs.stream().map(StrictIp::canonical).flatMap(Optional::stream)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  public Decision decide(String text) {
    Optional<String> c = StrictIp.canonical(text);
    if (c.isEmpty()) return new Decision(null, "not a plain IP address");
    String ip = c.get();
    if (!StrictIp.isAlwaysProtected(ip) && protectedAddresses.contains(ip)) {
      return new Decision(ip, "this host's or a cluster member's own address");
    }
    return new Decision(ip, rules.refusal(ip));
  }
}
