package io.panicmode.storage;

import io.panicmode.contracts.HostId;
import io.panicmode.contracts.JsonFields;
import io.panicmode.contracts.MessageFormatException;
import io.vertx.core.json.JsonObject;

/**
 * Payload of a {@code StorageWrite} of kind UNBLOCK: a ban lifted.
 * Wire form {@code {"host","ip","at","by","reason"}} ({@code "v": 1} optional).
 *
 * @param at epoch milliseconds
 * @param by who lifted it: "operator", "expiry", ...
 */
public record Unblock(String host, String ip, long at, String by, String reason) {
  public Unblock {
    if (!HostId.isValid(host)) throw new MessageFormatException("Unblock.host: invalid host id " + host);
    if (ip == null || ip.isEmpty()) throw new MessageFormatException("Unblock.ip: missing");
    if (by == null || by.isEmpty()) throw new MessageFormatException("Unblock.by: missing");
    if (reason == null) reason = "";
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("ip", ip).put("at", at).put("by", by).put("reason", reason);
  }

  public static Unblock fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "Unblock");
    Long v = f.optLng("v");
    if (v != null && v != 1) throw f.error("v", "unsupported schema version " + v + ", expected 1");
    Unblock u = new Unblock(f.str("host"), f.str("ip"), f.lng("at"), f.str("by"), f.str("reason"));
    f.done();
    return u;
  }
}
