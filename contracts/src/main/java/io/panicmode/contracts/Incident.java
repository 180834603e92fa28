package io.panicmode.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fired (or resolved) rule or anomaly on one host. Published on {@link Addresses#INCIDENTS},
 * carried inside {@link AlertRequest} and {@link StorageWrite}. The resolved event of an
 * incident carries the same {@code id}, {@code state = RESOLVED} and {@code resolvedAt}.
 *
 * @param id          stable id: the same incident is the same row everywhere, whatever the retries
 * @param monitorType the monitor type of the rule ({@code cpu_usage}, ...) or {@code anomaly} / {@code self}
 * @param description one line for humans, e.g. {@code "high_cpu exceeded threshold: 97.3 > 80.0"}
 * @param details     more text for humans; never parsed by any program
 * @param subjects    what to act on; the only input actions read
 * @param actions     the rule's action list as configured
 * @param firedAt     epoch milliseconds
 * @param resolvedAt  epoch milliseconds, or null while firing
 */
public record Incident(String id, String host, String rule, String monitorType, Severity severity, State state,
                       String description, String details, double value, double threshold, Subjects subjects,
                       List<String> actions, long firedAt, Long resolvedAt) {
  public static final int VERSION = 1;

  public enum State {
    FIRING, RESOLVED;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    static State fromWire(String s) {
      for (State v : values()) if (v.wire().equals(s)) return v;
      throw new MessageFormatException("Incident.state: expected firing|resolved, got \"" + s + "\"");
    }
  }

  public Incident {
    if (id == null || id.isEmpty()) throw new MessageFormatException("Incident.id: missing");
    if (!HostId.isValid(host)) throw new MessageFormatException("Incident.host: invalid host id " + host);
    if (rule == null || rule.isEmpty()) throw new MessageFormatException("Incident.rule: missing");
    if (severity == null) throw new MessageFormatException("Incident.severity: missing");
    if (state == null) throw new MessageFormatException("Incident.state: missing");
    if (state == State.RESOLVED && resolvedAt == null) {
      throw new MessageFormatException("Incident.resolvedAt: required when state is resolved");
    }
    if (description == null) description = "";
    if (details == null) details = "";
    if (subjects == null) subjects = Subjects.NONE;
    actions = List.copyOf(actions);
  }

  public Incident resolved(long at) {
    return new Incident(id, host, rule, monitorType, severity, State.RESOLVED, description, details, value,
        threshold, subjects, actions, firedAt, at);
  }

  public boolean isResolved() { return state == State.RESOLVED; }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("id", id).put("host", host).put("rule", rule)
        .put("monitorType", monitorType).put("severity", severity.wire()).put("state", state.wire())
        .put("description", description).put("details", details).put("value", value)
        .put("threshold", threshold).put("subjects", subjects.toJson())
        .put("actions", new JsonArray(new ArrayList<>(actions))).put("firedAt", firedAt)
        .put("resolvedAt", resolvedAt);
  }

  public static Incident fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "Incident").version(VERSION);
    Incident i = new Incident(f.str("id"), f.str("host"), f.str("rule"), f.str("monitorType"),
        Severity.fromWire(f.str("severity")), State.fromWire(f.str("state")), f.str("description"),
        f.str("details"), f.dbl("value"), f.dbl("threshold"), Subjects.fromJson(f.obj("subjects")),
        f.strings("actions"), f.lng("firedAt"), f.optLng("resolvedAt"));
    f.done();
    return i;
  }
}
