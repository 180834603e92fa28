package io.panicmode.contracts;

/**
 * Every event-bus address PanicMode uses. Host-scoped addresses carry the host id so a
 * command or a metric stream can never reach another host's verticle by accident.
 * Streams are published; commands are request/reply with a typed reply.
 */
public final class Addresses {
  private Addresses() {}

  private static final String PREFIX = "panicmode.";

  /** Published by the collector of {@code host}: {@link MetricsSnapshot}. Consumed by that host's detector and the api (fleet view). */
  public static String metrics(String host) { return PREFIX + "metrics." + requireHost(host); }

  /** Published by the collector of {@code host}: one {@link AuthEvent} per SSH failure, at once. Consumed by that host's detector. */
  public static String authEvents(String host) { return PREFIX + "auth." + requireHost(host); }

  /** Request/reply, owned by the action verticle of {@code host}: {@link ActionCommand} in, {@link ActionResult} back. */
  public static String action(String host) { return PREFIX + "action." + requireHost(host); }

  /** Published by detectors (fleet-wide): every fired and resolved {@link Incident}. Consumed by the api for live views. */
  public static final String INCIDENTS = PREFIX + "incidents";

  /** Request/reply, owned by the alert verticle (local or central): {@link AlertRequest} in, an ack once it is persisted. */
  public static final String ALERTS = PREFIX + "alerts";

  /** Request/reply, owned by the storage verticle (local or central): {@link StorageWrite} in, an ack once it is committed. */
  public static final String STORAGE = PREFIX + "storage";

  /** Request/reply, owned by the storage verticle: read queries from the api ({@code {"query": ..., ...}}). */
  public static final String STORAGE_QUERY = PREFIX + "storage.query";

  /** Published by every PanicMode process: {@link Heartbeat} with its roles and their status. Consumed by the api and storage. */
  public static final String HEARTBEAT = PREFIX + "heartbeat";

  /** Published by action verticles when {@code fleet.share_bans} is on: a {@link BlockRecord} for every ban decided locally. */
  public static final String SHARED_BANS = PREFIX + "bans.shared";

  private static String requireHost(String host) {
    if (host == null || !HostId.isValid(host)) {
      throw new IllegalArgumentException("invalid host id: " + host);
    }
    return host;
  }
}
