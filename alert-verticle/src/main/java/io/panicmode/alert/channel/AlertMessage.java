package io.panicmode.alert.channel;

import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * What a channel sends: the rendered plain text plus the structured data behind it.
 *
 * @param key       idempotency key: the alert id, or a digest's id derived from its members
 * @param severity  the alert's severity, or the highest one in a digest
 * @param text      the plain text every text channel sends (already capped per REFERENCE.md;
 *                  channels with a smaller limit cut it further)
 * @param incidents the incidents behind the message (one for a single alert)
 * @param digest    the digest summary for webhook receivers, null for a single alert
 * @param reached   sub-targets (Twilio contacts) already reached for this message; channels with
 *                  several recipients add to it and skip those already in it, so a retry never
 *                  texts or calls the same person twice. Thread-confined to the verticle's context.
 */
public record AlertMessage(String key, Severity severity, String text, List<Incident> incidents, JsonObject digest,
                           Set<String> reached) {
  public boolean isDigest() { return digest != null; }
}
