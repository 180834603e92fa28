package io.panicmode.contracts;

import io.vertx.core.json.JsonObject;

/**
 * A request to alert people about an incident (fired or resolved), sent to
 * {@link Addresses#ALERTS}. The alert verticle acknowledges once the request is persisted in
 * its outbox; delivery goes on from there. {@code id} makes retries idempotent.
 */
public record AlertRequest(String id, Incident incident, long createdAt) {
  public static final int VERSION = 1;

  public AlertRequest {
    if (id == null || id.isEmpty()) throw new MessageFormatException("AlertRequest.id: missing");
    if (incident == null) throw new MessageFormatException("AlertRequest.incident: missing");
  }

  /** The id of the alert for an incident event: one per incident per state. */
  public static AlertRequest of(Incident incident, long now) {
    return new AlertRequest(incident.id() + ":" + incident.state().wire(), incident, now);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("id", id).put("incident", incident.toJson()).put("createdAt", createdAt);
  }

  public static AlertRequest fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "AlertRequest").version(VERSION);
    AlertRequest a = new AlertRequest(f.str("id"), Incident.fromJson(f.obj("incident")), f.lng("createdAt"));
    f.done();
    return a;
  }
}
