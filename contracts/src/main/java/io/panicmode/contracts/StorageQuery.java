package io.panicmode.contracts;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A read query from the api to the storage verticle on {@link Addresses#STORAGE_QUERY}.
 * The reply is {@code {"ok":true,"items":[...],"next":<cursor or null>}}; {@code next} is set when
 * more rows match and is passed back as {@code cursor} to read the following page.
 * Items, by kind:
 * <ul>
 *   <li>INCIDENTS: {@link Incident} JSON (newest first, by {@code firedAt}), each with an added {@code "updatedAt"}</li>
 *   <li>BLOCKS: {@code {"host","ip","blockedAt","expiresAt","reason","incidentId","count","active",
 *       "unblockedAt","unblockedBy","unblockReason"}} (newest first)</li>
 *   <li>AGENTS: {@code {"host","node","roles":{role: status},"version","lastSeen","uptimeSecs","summary"}}
 *       one per process (host, node), most recently seen first</li>
 * </ul>
 *
 * @param kind       what to read
 * @param host       only this host, or null for all
 * @param severity   INCIDENTS only: only this severity, or null
 * @param rule       INCIDENTS only: only this rule, or null
 * @param ip         BLOCKS only: only this canonical IP, or null
 * @param since      INCIDENTS: fired at or after (epoch ms); BLOCKS: blocked at or after; or null
 * @param until      INCIDENTS: fired before (epoch ms); BLOCKS: blocked before; or null
 * @param activeOnly BLOCKS only: only bans in force (not lifted, not expired at {@code now})
 * @param now        epoch ms the api considers "now" (expiry is judged against it)
 * @param limit      page size, 1..{@link #MAX_LIMIT}
 * @param cursor     from the previous page's {@code next}, or null for the first page
 */
public record StorageQuery(Kind kind, String host, Severity severity, String rule, String ip, Long since,
                           Long until, boolean activeOnly, long now, int limit, String cursor) {
  public static final int VERSION = 1;
  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 100;

  public enum Kind {
    INCIDENTS, BLOCKS, AGENTS;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    static Kind fromWire(String s) {
      for (Kind k : values()) if (k.wire().equals(s)) return k;
      throw new MessageFormatException("StorageQuery.kind: expected incidents|blocks|agents, got \"" + s + "\"");
    }
  }

  public StorageQuery {
    if (kind == null) throw new MessageFormatException("StorageQuery.kind: missing");
    if (host != null && !HostId.isValid(host)) throw new MessageFormatException("StorageQuery.host: invalid host id " + host);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new MessageFormatException("StorageQuery.limit: must be 1.." + MAX_LIMIT + ", got " + limit);
    }
    if (since != null && until != null && since > until) {
      throw new MessageFormatException("StorageQuery.since: after until");
    }
  }

  public static StorageQuery incidents(String host, Severity severity, String rule, Long since, Long until, long now,
                                       int limit, String cursor) {
    return new StorageQuery(Kind.INCIDENTS, host, severity, rule, null, since, until, false, now, limit, cursor);
  }

  public static StorageQuery blocks(String host, String ip, boolean activeOnly, long now, int limit, String cursor) {
    return new StorageQuery(Kind.BLOCKS, host, null, null, ip, null, null, activeOnly, now, limit, cursor);
  }

  public static StorageQuery agents(String host, long now, int limit) {
    return new StorageQuery(Kind.AGENTS, host, null, null, null, null, null, false, now, limit, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("kind", kind.wire()).put("host", host)
        .put("severity", severity == null ? null : severity.wire()).put("rule", rule).put("ip", ip)
        .put("since", since).put("until", until).put("activeOnly", activeOnly).put("now", now)
        .put("limit", limit).put("cursor", cursor);
  }

  public static StorageQuery fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "StorageQuery").version(VERSION);
    String sev = f.optStr("severity");
    StorageQuery q = new StorageQuery(Kind.fromWire(f.str("kind")), f.optStr("host"),
        sev == null ? null : Severity.fromWire(sev), f.optStr("rule"), f.optStr("ip"), f.optLng("since"),
        f.optLng("until"), f.bool("activeOnly"), f.lng("now"), f.integer("limit"), f.optStr("cursor"));
    f.done();
    return q;
  }
}
