package io.panicmode.contracts;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Published by every PanicMode process on {@link Addresses#HEARTBEAT}.
 *
 * @param roles role (wire name) → status: {@code ok}, {@code degraded}, {@code starting}
 * @param summary latest headline metrics of this host, when it runs a collector (may be empty)
 */
public record Heartbeat(String host, String node, Map<String, String> roles, String version, long ts,
                        long uptimeSecs, Map<String, Double> summary) {
  public static final int VERSION = 1;

  public Heartbeat {
    if (!HostId.isValid(host)) throw new MessageFormatException("Heartbeat.host: invalid host id " + host);
    if (node == null || node.isEmpty()) throw new MessageFormatException("Heartbeat.node: missing");
    roles = Map.copyOf(roles);
    if (version == null) version = "";
    summary = Map.copyOf(summary);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("host", host).put("node", node)
        .put("roles", new JsonObject(new java.util.LinkedHashMap<>(roles))).put("version", version).put("ts", ts)
        .put("uptimeSecs", uptimeSecs).put("summary", new JsonObject(new java.util.LinkedHashMap<>(summary)));
  }

  public static Heartbeat fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "Heartbeat").version(VERSION);
    Heartbeat h = new Heartbeat(f.str("host"), f.str("node"), f.stringMap("roles"), f.str("version"), f.lng("ts"),
        f.lng("uptimeSecs"), f.numberMap("summary"));
    f.done();
    return h;
  }
}
