package io.panicmode.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A command to the action verticle of {@code host}, sent on {@link Addresses#action(String)}.
 * The action verticle re-validates every field whatever the sender checked.
 *
 * @param id        unique command id (replays of the same id are rejected)
 * @param op        one of the closed set of operations ({@code block_ip}, {@code thaw}, ...)
 * @param ips       IPs for block_ip / unblock_ip / rate_limit, as text to be parsed strictly
 * @param processes processes for thaw / kill_process when named explicitly
 * @param durationSecs ban duration for block_ip; 0 = policy default
 * @param reason    free text for the ledger; never interpreted
 * @param target    cluster name for mass_freeze_cluster, hook key for run_script, else ""
 * @param incident  the incident that caused it, or null for operator commands
 * @param issuedBy  "detector" or "operator"
 * @param issuedAt  epoch milliseconds
 * @param signature HMAC over {@link #signedPayload()}, or "" where commands are not signed (local mode)
 */
public record ActionCommand(String id, String host, String op, List<String> ips, List<ProcessRef> processes,
                            long durationSecs, String reason, String target, Incident incident,
                            String issuedBy, long issuedAt, String signature) {
  public static final int VERSION = 1;

  public ActionCommand {
    if (id == null || id.isEmpty()) throw new MessageFormatException("ActionCommand.id: missing");
    if (!HostId.isValid(host)) throw new MessageFormatException("ActionCommand.host: invalid host id " + host);
    if (op == null || op.isEmpty()) throw new MessageFormatException("ActionCommand.op: missing");
    ips = List.copyOf(ips);
    processes = List.copyOf(processes);
    if (durationSecs < 0) throw new MessageFormatException("ActionCommand.durationSecs: must be >= 0");
    if (reason == null) reason = "";
    if (target == null) target = "";
    if (issuedBy == null || issuedBy.isEmpty()) throw new MessageFormatException("ActionCommand.issuedBy: missing");
    if (signature == null) signature = "";
  }

  public ActionCommand withSignature(String sig) {
    return new ActionCommand(id, host, op, ips, processes, durationSecs, reason, target, incident, issuedBy, issuedAt, sig);
  }

  /** The canonical bytes a signature covers: the JSON of every field but the signature, in a fixed order. */
  public String signedPayload() {
    return withSignature("").toJson().encode();
  }

  public JsonObject toJson() {
    JsonArray procs = new JsonArray();
    processes.forEach(p -> procs.add(p.toJson()));
    return new JsonObject().put("v", VERSION).put("id", id).put("host", host).put("op", op)
        .put("ips", new JsonArray(new ArrayList<>(ips))).put("processes", procs)
        .put("durationSecs", durationSecs).put("reason", reason).put("target", target)
        .put("incident", incident == null ? null : incident.toJson()).put("issuedBy", issuedBy)
        .put("issuedAt", issuedAt).put("signature", signature);
  }

  public static ActionCommand fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "ActionCommand").version(VERSION);
    JsonArray procs = f.arr("processes");
    List<ProcessRef> refs = new ArrayList<>();
    for (int i = 0; i < procs.size(); i++) {
      if (!(procs.getValue(i) instanceof JsonObject o)) throw f.error("processes[" + i + "]", "expected object");
      refs.add(ProcessRef.fromJson(o));
    }
    JsonObject inc = f.optObj("incident");
    ActionCommand c = new ActionCommand(f.str("id"), f.str("host"), f.str("op"), f.strings("ips"), refs,
        f.lng("durationSecs"), f.str("reason"), f.str("target"), inc == null ? null : Incident.fromJson(inc),
        f.str("issuedBy"), f.lng("issuedAt"), f.str("signature"));
    f.done();
    return c;
  }
}
