package io.panicmode.collector.proc;

import io.panicmode.contracts.net.StrictIp;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parser for /proc/net/tcp and /proc/net/tcp6 working on the raw bytes: one pass, no regex, no
 * per-line allocation, so 100,000 sockets cost a few milliseconds. Only ESTABLISHED sockets
 * (state 01) count. Addresses are printed by the kernel as host-order 32-bit words of the
 * network-order address; IPv4-mapped IPv6 peers are counted as their IPv4 address.
 */
public final class NetTcpParser {
  private NetTcpParser() {}

  private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  private static final int ESTABLISHED = 0x01;

  /** Accumulates the established sockets of one or more files read in the same cycle. */
  public static final class Connections {
    private final LongIntMap v4 = new LongIntMap();
    private final Map<V6, int[]> v6 = new HashMap<>();
    private final LongSet tuples;
    private int established;

    public Connections() { this(0); }

    /** @param expected sockets expected (the previous read's count), to size the tuple set once */
    public Connections(int expected) { tuples = new LongSet(expected); }

    private record V6(long hi, long lo) {}

    /** Established sockets seen. */
    public int established() { return established; }

    /** A 64-bit hash of each established (local, remote) address/port pair, for new-connection counting. */
    public LongSet tuples() { return tuples; }

    /** Established connections per remote IP, canonical text form. */
    public Map<String, Double> perIp() {
      Map<String, Double> out = new LinkedHashMap<>();
      v4.forEach((ip, n) -> out.merge(ipv4Text((int) ip), (double) n, Double::sum));
      v6.forEach((k, n) -> {
        String text = ipv6Text(k.hi, k.lo);
        String canonical = StrictIp.canonical(text).orElse(text);
        out.merge(canonical, (double) n[0], Double::sum);
      });
      return out;
    }
  }

  /** Parses one file's content ({@code len} bytes of {@code buf}) into {@code into}. */
  public static void parse(byte[] buf, int len, boolean ipv6, Connections into) {
    int i = 0;
    // The first line is the column header.
    while (i < len && buf[i] != '\n') i++;
    i++;
    int addrHex = ipv6 ? 32 : 8;
    while (i < len) {
      int lineStart = i;
      int eol = lineStart;
      while (eol < len && buf[eol] != '\n') eol++;
      i = eol + 1;
      int p = lineStart;
      while (p < eol && buf[p] == ' ') p++;
      while (p < eol && buf[p] != ':') p++; // "sl:"
      p++;
      while (p < eol && buf[p] == ' ') p++;
      int local = p;
      int remote = local + addrHex + 1 + 4 + 1;
      int state = remote + addrHex + 1 + 4 + 1;
      if (state + 2 > eol || buf[local + addrHex] != ':' || buf[remote + addrHex] != ':') continue;
      if (hex(buf, state, 2) != ESTABLISHED) continue;
      into.established++;
      int lport = hex(buf, local + addrHex + 1, 4);
      int rport = hex(buf, remote + addrHex + 1, 4);
      if (!ipv6) {
        int l = word(buf, local);
        int r = word(buf, remote);
        into.tuples.add(mix(mix(l, lport), mix(r, rport)));
        into.v4.increment(r & 0xffffffffL);
      } else {
        long lh = ((long) word(buf, local) << 32) | (word(buf, local + 8) & 0xffffffffL);
        long ll = ((long) word(buf, local + 16) << 32) | (word(buf, local + 24) & 0xffffffffL);
        long rh = ((long) word(buf, remote) << 32) | (word(buf, remote + 8) & 0xffffffffL);
        long rl = ((long) word(buf, remote + 16) << 32) | (word(buf, remote + 24) & 0xffffffffL);
        into.tuples.add(mix(mix(mix(lh, ll), lport), mix(mix(rh, rl), rport) + 0x6a09e667L));
        if (rh == 0 && (rl >>> 32) == 0xffffL) {
          into.v4.increment(rl & 0xffffffffL);
        } else {
          into.v6.computeIfAbsent(new Connections.V6(rh, rl), k -> new int[1])[0]++;
        }
      }
    }
  }

  /** One 8-hex-digit word of an address, turned into network order. */
  private static int word(byte[] b, int at) {
    int x = hex(b, at, 8);
    return LITTLE ? Integer.reverseBytes(x) : x;
  }

  private static int hex(byte[] b, int at, int n) {
    int v = 0;
    for (int k = 0; k < n; k++) {
      int c = b[at + k];
      int d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else return -1;
      v = (v << 4) | d;
    }
    return v;
  }

  private static long mix(long a, long b) {
    long h = (a ^ 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L + b;
    h ^= h >>> 31;
    h *= 0x94D049BB133111EBL;
    return h ^ (h >>> 29);
  }

  static String ipv4Text(int ip) {
    return ((ip >>> 24) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
  }

  static String ipv6Text(long hi, long lo) {
    StringBuilder sb = new StringBuilder(39);
    for (int g = 0; g < 8; g++) {
      long half = g < 4 ? hi : lo;
      int shift = 48 - 16 * (g % 4);
      if (g > 0) sb.append(':');
      sb.append(Integer.toHexString((int) ((half >>> shift) & 0xffff)));
    }
    return sb.toString();
  }
}
