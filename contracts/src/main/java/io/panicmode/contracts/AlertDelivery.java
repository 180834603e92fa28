package io.panicmode.contracts;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * How one alert fared on one channel in one delivery round, as the alert role reports it to
 * storage so the incident's history shows who was told, how many tries it took, and what failed.
 *
 * @param alertId    the {@link AlertRequest} id
 * @param incidentId the incident the alert is about
 * @param channel    the channel's lane key ({@code telegram}, {@code webhook-2}, …)
 * @param attempts   sends made in this round (0 when the channel was skipped)
 * @param error      why it failed or was skipped, never a secret; "" when delivered
 * @param at         epoch milliseconds the round on this channel ended
 */
public record AlertDelivery(String alertId, String incidentId, String host, String channel, int attempts, Outcome outcome,
                            String error, long at) {
  public static final int VERSION = 1;

  public enum Outcome {
    /** The channel accepted the message. */
    DELIVERED,
    /** Every attempt of the round failed; the outbox may try again in a later round. */
    FAILED,
    /** Not tried: the channel's circuit breaker was open. */
    SKIPPED;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    static Outcome fromWire(String s) {
      for (Outcome o : values()) if (o.wire().equals(s)) return o;
      throw new MessageFormatException("AlertDelivery.outcome: expected delivered|failed|skipped, got \"" + s + "\"");
    }
  }

  public AlertDelivery {
    if (alertId == null || alertId.isEmpty()) throw new MessageFormatException("AlertDelivery.alertId: missing");
    if (incidentId == null || incidentId.isEmpty()) throw new MessageFormatException("AlertDelivery.incidentId: missing");
    if (!HostId.isValid(host)) throw new MessageFormatException("AlertDelivery.host: invalid host id " + host);
    if (channel == null || channel.isEmpty()) throw new MessageFormatException("AlertDelivery.channel: missing");
    if (attempts < 0) throw new MessageFormatException("AlertDelivery.attempts: must be >= 0, got " + attempts);
    if (outcome == null) throw new MessageFormatException("AlertDelivery.outcome: missing");
    if (error == null) error = "";
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("alertId", alertId).put("incidentId", incidentId).put("host", host)
        .put("channel", channel).put("attempts", attempts).put("outcome", outcome.wire()).put("error", error).put("at", at);
  }

  public static AlertDelivery fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "AlertDelivery").version(VERSION);
    AlertDelivery d = new AlertDelivery(f.str("alertId"), f.str("incidentId"), f.str("host"), f.str("channel"),
        f.integer("attempts"), Outcome.fromWire(f.str("outcome")), f.str("error"), f.lng("at"));
    f.done();
    return d;
  }
}
