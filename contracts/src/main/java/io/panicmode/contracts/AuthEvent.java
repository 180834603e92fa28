package io.panicmode.contracts;

import io.vertx.core.json.JsonObject;

/**
 * One SSH authentication failure, published on {@link Addresses#authEvents(String)} the
 * moment its log line is read.
 *
 * @param ts   time of the failure, epoch milliseconds (the log's own time where known)
 * @param ip   source address as sshd wrote it, canonical form
 * @param user user name tried, as sshd wrote it ("" when the form has none); never trusted
 * @param kind the failure form, e.g. {@code failed_password}, {@code invalid_user}
 * @param port source port, or 0 when the form has none
 */
public record AuthEvent(String host, long ts, String ip, String user, String kind, int port) {
  public static final int VERSION = 1;

  public AuthEvent {
    if (!HostId.isValid(host)) throw new MessageFormatException("AuthEvent.host: invalid host id " + host);
    if (ip == null || ip.isEmpty()) throw new MessageFormatException("AuthEvent.ip: missing");
    if (user == null) user = "";
    if (kind == null || kind.isEmpty()) throw new MessageFormatException("AuthEvent.kind: missing");
    if (port < 0 || port > 65535) throw new MessageFormatException("AuthEvent.port: out of range " + port);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("host", host).put("ts", ts).put("ip", ip)
        .put("user", user).put("kind", kind).put("port", port);
  }

  public static AuthEvent fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "AuthEvent").version(VERSION);
    AuthEvent e = new AuthEvent(f.str("host"), f.lng("ts"), f.str("ip"), f.str("user"), f.str("kind"), f.integer("port"));
    f.done();
    return e;
  }
}
