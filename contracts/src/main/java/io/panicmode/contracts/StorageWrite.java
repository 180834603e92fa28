package io.panicmode.contracts;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A write to the storage verticle on {@link Addresses#STORAGE}. The reply is sent only once the
 * row is committed. {@code id} is stable across retries, so a retried write is one row.
 *
 * @param kind    what the payload is
 * @param payload the JSON of the record named by {@code kind}
 */
public record StorageWrite(String id, Kind kind, JsonObject payload) {
  public static final int VERSION = 1;

  public enum Kind {
    /** {@link Incident} fired or resolved (upsert by incident id). */
    INCIDENT,
    /** {@link BlockRecord}: a ban applied. */
    BLOCK,
    /** {@code {"host","ip","at","by","reason"}}: a ban lifted. */
    UNBLOCK,
    /** {@link ActionResult}. */
    ACTION_RESULT,
    /** {@link Heartbeat} of an agent. */
    HEARTBEAT,
    /** {@link AlertDelivery}: one alert's round on one channel. */
    ALERT_DELIVERY;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    static Kind fromWire(String s) {
      for (Kind k : values()) if (k.wire().equals(s)) return k;
      throw new MessageFormatException("StorageWrite.kind: unknown kind \"" + s + "\"");
    }
  }

  public StorageWrite {
    if (id == null || id.isEmpty()) throw new MessageFormatException("StorageWrite.id: missing");
    if (kind == null) throw new MessageFormatException("StorageWrite.kind: missing");
    if (payload == null) throw new MessageFormatException("StorageWrite.payload: missing");
  }

  public static StorageWrite incident(Incident i) {
    return new StorageWrite("incident:" + i.id() + ":" + i.state().wire(), Kind.INCIDENT, i.toJson());
  }

  public static StorageWrite block(BlockRecord b, String commandId) {
    return new StorageWrite(blockId(commandId, b.ip()), Kind.BLOCK, b.toJson());
  }

  /** The id of the BLOCK write for this command's ban of this IP (kept by the action ledger to resend it). */
  public static String blockId(String commandId, String ip) {
    return "block:" + commandId + ":" + ip;
  }

  public static StorageWrite actionResult(ActionResult r) {
    return new StorageWrite("result:" + r.commandId(), Kind.ACTION_RESULT, r.toJson());
  }

  public static StorageWrite heartbeat(Heartbeat h) {
    return new StorageWrite("heartbeat:" + h.host() + ":" + h.node() + ":" + h.ts(), Kind.HEARTBEAT, h.toJson());
  }

  /** One row per alert, channel and round end, so a retried report is one row. */
  public static StorageWrite alertDelivery(AlertDelivery d) {
    return new StorageWrite("delivery:" + d.alertId() + ":" + d.channel() + ":" + d.at(), Kind.ALERT_DELIVERY, d.toJson());
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("id", id).put("kind", kind.wire()).put("payload", payload);
  }

  public static StorageWrite fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "StorageWrite").version(VERSION);
    StorageWrite w = new StorageWrite(f.str("id"), Kind.fromWire(f.str("kind")), f.obj("payload"));
    f.done();
    return w;
  }
}
