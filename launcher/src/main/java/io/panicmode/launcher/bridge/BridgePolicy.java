package io.panicmode.launcher.bridge;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.HostId;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What one agent may do over the bridge, decided from its certificate's host id alone. An agent
 * may send storage writes and alerts, and publish incidents, heartbeats and shared bans, only about
 * its own host; it may register only for its own command address and the fleet's shared bans; it
 * may send to a reply address only when it is answering a command the central tier sent it (the
 * bridge itself keeps, per connection, the reply addresses it owes). Everything else is refused
 * with a reason that is also the metrics label.
 */
public final class BridgePolicy {
  /** Reasons a frame is refused (metrics label values). */
  public static final String NO_IDENTITY = "no_host_identity";
  public static final String ADDRESS = "address_not_allowed";
  public static final String OTHER_HOST = "other_host";
  public static final String MALFORMED = "malformed_body";

  /** The GeneralName tag of a dNSName in {@link X509Certificate#getSubjectAlternativeNames()}. */
  private static final int DNS_NAME = 2;
  private static final Set<String> SEND_TO = Set.of(Addresses.STORAGE, Addresses.ALERTS);
  private static final Set<String> PUBLISH_TO = Set.of(Addresses.INCIDENTS, Addresses.HEARTBEAT, Addresses.SHARED_BANS);

  private BridgePolicy() {}

  /**
   * The host id a verified certificate chain names, or null when it names none valid: the CN of its
   * first certificate; for a certificate without a CN (as some issuers make them), its one DNS
   * subject alternative name. Never anything the agent says over the connection.
   */
  public static String hostOf(List<Certificate> chain) {
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate cert)) return null;
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          String cn = String.valueOf(rdn.getValue());
          return HostId.isValid(cn) ? cn : null;
        }
      }
      List<String> dnsNames = new ArrayList<>();
      Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alt : alternatives) {
          if (alt.size() == 2 && Integer.valueOf(DNS_NAME).equals(alt.get(0))) dnsNames.add(String.valueOf(alt.get(1)));
        }
      }
      // Several names would leave the choice to the agent; one names the host.
      return dnsNames.size() == 1 && HostId.isValid(dnsNames.get(0)) ? dnsNames.get(0) : null;
    } catch (InvalidNameException | CertificateParsingException e) {
      return null;
    }
  }

  /**
   * Null when an agent whose certificate names {@code host} may pass this frame, else the reason
   * it may not. {@code answering} tells whether the frame's address is the reply address of a
   * command this agent received and has not answered yet.
   */
  public static String check(BridgeEventType type, JsonObject frame, String host, boolean answering) {
    if (host == null) return NO_IDENTITY;
    String address = frame == null ? null : frame.getString("address");
    return switch (type) {
      case SOCKET_CREATED, SOCKET_CLOSED, SOCKET_IDLE, SOCKET_PING, SOCKET_ERROR, RECEIVE, REGISTERED, UNREGISTER -> null;
      case SEND -> answering ? null : SEND_TO.contains(address) ? ownBody(address, frame, host) : ADDRESS;
      case PUBLISH -> PUBLISH_TO.contains(address) ? ownBody(address, frame, host) : ADDRESS;
      case REGISTER -> Addresses.action(host).equals(address) || Addresses.SHARED_BANS.equals(address) ? null : ADDRESS;
    };
  }

  /** Null when the body is about {@code host}; the host sits at a different place in each kind of message. */
  private static String ownBody(String address, JsonObject frame, String host) {
    Object body = frame.getValue("body");
    if (!(body instanceof JsonObject json)) return MALFORMED;
    Object about = switch (address) {
      case Addresses.STORAGE -> json.getValue("payload") instanceof JsonObject p ? p.getValue("host") : null;
      case Addresses.ALERTS -> json.getValue("incident") instanceof JsonObject i ? i.getValue("host") : null;
      default -> json.getValue("host");
    };
    if (!(about instanceof String named)) return MALFORMED;
    return named.equals(host) ? null : OTHER_HOST;
  }
}
