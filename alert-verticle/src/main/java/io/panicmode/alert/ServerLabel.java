package io.panicmode.alert;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The {@code server:} label of alert texts: {@code PANICMODE_SERVER_LABEL}, else the host's primary address, else "unknown". */
public final class ServerLabel {
  private ServerLabel() {}

  public static final String ENV = "PANICMODE_SERVER_LABEL";
  static final int MAX_LENGTH = 128;

  public static String resolve(Map<String, String> env) {
    String v = env.get(ENV);
    if (v != null && !v.isBlank()) {
      String t = v.strip();
      return t.length() > MAX_LENGTH ? t.substring(0, MAX_LENGTH) : t;
    }
    return primary(addresses());
  }

  /**
   * The first global or site-local IPv4 address, else the first such IPv6 address, else
   * "unknown". Loopback, link-local and wildcard addresses never identify a host.
   */
  static String primary(List<InetAddress> candidates) {
    InetAddress v6 = null;
    for (InetAddress a : candidates) {
      if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) continue;
      if (a instanceof Inet4Address) return a.getHostAddress();
      if (v6 == null) v6 = a;
    }
    if (v6 == null) return "unknown";
    String s = v6.getHostAddress();
    int scope = s.indexOf('%');
    return scope >= 0 ? s.substring(0, scope) : s;
  }

  private static List<InetAddress> addresses() {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp() || ni.isLoopback()) continue;
        out.addAll(Collections.list(ni.getInetAddresses()));
      }
    } catch (SocketException | RuntimeException e) {
      return List.of();
    }
    return out;
  }
}
