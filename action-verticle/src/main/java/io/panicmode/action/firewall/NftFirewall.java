package io.panicmode.action.firewall;

import io.panicmode.action.exec.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code firewall.backend: nft}: a table of our own ({@code inet <firewall.nft_table>}) with
 * timeout sets for bans ({@code ban4}, {@code ban6}) and rate limits ({@code rl4}, {@code rl6},
 * metered per source IP in {@code rlm4}/{@code rlm6}), and one input chain that drops banned
 * sources and new connections over {@code rate_limit_per_minute} from rate-limited ones. Every
 * change is one {@code nft -f -} transaction, so 20,000 bans are one program run, and the kernel
 * lifts an expired element by itself.
 *
 * <p>nft has its own command language; an IP inside a script could inject into it. Only
 * canonical addresses from {@code StrictIp} reach this class, and {@link #element} re-checks that
 * each one consists of hex digits, dots and colons before it is written into a script.
 */
public final class NftFirewall implements Firewall {
  private static final int CHUNK = 2000;
  private static final int OUTPUT_CAP = 8192;

  private final List<String> nftCommand;
  private final String table;
  private final int ratePerMinute;
  private final Duration timeout;

  /**
   * @param nftCommand the nft program as argv (absolute path; a test may prefix it with
   *                   {@code ip netns exec <ns>})
   * @param table      table name, already validated as a plain identifier by the config validator
   */
  public NftFirewall(List<String> nftCommand, String table, int ratePerMinute, Duration timeout) {
    if (!table.matches("[A-Za-z][A-Za-z0-9_]{0,30}")) throw new IllegalArgumentException("bad nft table name " + table);
    this.nftCommand = List.copyOf(nftCommand);
    this.table = table;
    this.ratePerMinute = ratePerMinute;
    this.timeout = timeout;
  }

  @Override
  public void init() throws FirewallException {
    String t = "inet " + table;
    String limit = "limit rate over " + ratePerMinute + "/minute burst " + ratePerMinute + " packets";
    // "add" is idempotent for tables, sets and chains, so existing ban elements survive a restart;
    // the chain is flushed and refilled so its rules are exactly these, once.
    run(String.join("\n",
        "add table " + t,
        "add set " + t + " ban4 { type ipv4_addr; flags timeout; }",
        "add set " + t + " ban6 { type ipv6_addr; flags timeout; }",
        "add set " + t + " rl4 { type ipv4_addr; flags timeout; }",
        "add set " + t + " rl6 { type ipv6_addr; flags timeout; }",
        "add set " + t + " rlm4 { type ipv4_addr; flags dynamic,timeout; timeout 1m; }",
        "add set " + t + " rlm6 { type ipv6_addr; flags dynamic,timeout; timeout 1m; }",
        "add chain " + t + " input { type filter hook input priority filter - 10; policy accept; }",
        "flush chain " + t + " input",
        "add rule " + t + " input ip saddr @ban4 drop",
        "add rule " + t + " input ip6 saddr @ban6 drop",
        "add rule " + t + " input ct state new ip saddr @rl4 add @rlm4 { ip saddr " + limit + " } drop",
        "add rule " + t + " input ct state new ip6 saddr @rl6 add @rlm6 { ip6 saddr " + limit + " } drop",
        ""));
  }

  @Override
  public void block(List<Ban> bans, long nowMillis) throws FirewallException {
    // Add, delete, add again: "add element" keeps an existing element's old timeout, and a
    // repeat offender's longer ban must replace it; all three are one transaction.
    StringBuilder sb = new StringBuilder();
    for (Ban b : bans) {
      String set = setFor("ban", b.ip());
      sb.append("add element inet ").append(table).append(' ').append(set).append(" { ").append(element(b.ip())).append(" timeout 1s }\n");
      sb.append("delete element inet ").append(table).append(' ').append(set).append(" { ").append(element(b.ip())).append(" }\n");
    }
    addElements(sb, "ban", bans, nowMillis);
    run(sb.toString());
  }

  @Override
  public void restore(List<Ban> bans, long nowMillis) throws FirewallException {
    StringBuilder sb = new StringBuilder();
    addElements(sb, "ban", bans, nowMillis);
    run(sb.toString());
  }

  /** Lifts the ban and any rate limit of these IPs. */
  @Override
  public void unblock(List<String> ips) throws FirewallException {
    // Adding before deleting makes the delete succeed whether or not the kernel still holds the
    // element (it may have expired on its own).
    StringBuilder sb = new StringBuilder();
    for (String ip : ips) {
      for (String prefix : new String[] {"ban", "rl"}) {
        String set = setFor(prefix, ip);
        sb.append("add element inet ").append(table).append(' ').append(set).append(" { ").append(element(ip)).append(" timeout 1s }\n");
        sb.append("delete element inet ").append(table).append(' ').append(set).append(" { ").append(element(ip)).append(" }\n");
      }
    }
    run(sb.toString());
  }

  @Override
  public void rateLimit(List<Ban> ips, long nowMillis) throws FirewallException {
    StringBuilder sb = new StringBuilder();
    addElements(sb, "rl", ips, nowMillis);
    run(sb.toString());
  }

  @Override public String name() { return "nft"; }

  private void addElements(StringBuilder sb, String prefix, List<Ban> bans, long nowMillis) {
    for (String family : new String[] {"4", "6"}) {
      List<String> elems = new ArrayList<>();
      for (Ban b : bans) {
        if (!setFor(prefix, b.ip()).endsWith(family)) continue;
        long secs = b.secondsLeft(nowMillis);
        elems.add(secs == 0 ? element(b.ip()) : element(b.ip()) + " timeout " + secs + "s");
      }
      for (int i = 0; i < elems.size(); i += CHUNK) {
        sb.append("add element inet ").append(table).append(' ').append(prefix).append(family).append(" { ")
            .append(String.join(", ", elems.subList(i, Math.min(elems.size(), i + CHUNK)))).append(" }\n");
      }
    }
  }

  private static String setFor(String prefix, String ip) {
    return prefix + (ip.indexOf(':') >= 0 ? "6" : "4");
  }

  /** The IP as an nft set element; refuses anything but hex digits, dots and colons. */
  static String element(String ip) {
    if (ip.isEmpty() || ip.length() > 45) throw new IllegalArgumentException("not a canonical IP");
    for (int i = 0; i < ip.length(); i++) {
      char c = ip.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == ':';
      if (!ok) throw new IllegalArgumentException("not a canonical IP");
    }
    return ip;
  }

  private void run(String script) throws FirewallException {
    if (script.isEmpty()) return;
    List<String> argv = new ArrayList<>(nftCommand);
    argv.add("-f");
    argv.add("-");
    ProcessRunner.Result r = ProcessRunner.run(argv, Map.of("PATH", ProcessRunner.SAFE_PATH),
        script.getBytes(StandardCharsets.US_ASCII), timeout, OUTPUT_CAP);
    if (!r.ok()) {
      boolean missing = r.startError() != null;
      throw new FirewallException("nft " + r.describe() + (r.output().isBlank() ? "" : ": " + r.output().strip()), !missing);
    }
  }
}
