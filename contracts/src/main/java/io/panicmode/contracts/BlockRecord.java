package io.panicmode.contracts;

import io.vertx.core.json.JsonObject;

/**
 * One ban in the block ledger.
 *
 * @param ip         canonical IP
 * @param expiresAt  epoch milliseconds, or null for a permanent ban
 * @param incidentId incident that caused it, or null for a manual ban
 * @param count      how many times this IP has been banned on this host (for escalation)
 */
public record BlockRecord(String host, String ip, long blockedAt, Long expiresAt, String reason,
                          String incidentId, int count) {
  public static final int VERSION = 1;

  public BlockRecord {
    if (!HostId.isValid(host)) throw new MessageFormatException("BlockRecord.host: invalid host id " + host);
    if (ip == null || ip.isEmpty()) throw new MessageFormatException("BlockRecord.ip: missing");
    if (reason == null) reason = "";
    if (count < 1) throw new MessageFormatException("BlockRecord.count: must be >= 1, got " + count);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("host", host).put("ip", ip).put("blockedAt", blockedAt)
        .put("expiresAt", expiresAt).put("reason", reason).put("incidentId", incidentId).put("count", count);
  }

  public static BlockRecord fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "BlockRecord").version(VERSION);
    BlockRecord b = new BlockRecord(f.str("host"), f.str("ip"), f.lng("blockedAt"), f.optLng("expiresAt"),
        f.str("reason"), f.optStr("incidentId"), f.integer("count"));
    f.done();
    return b;
  }
}
