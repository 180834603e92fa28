package io.panicmode.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The typed reply to every {@link ActionCommand}.
 *
 * @param status   DONE (carried out), FAILED (tried and failed; {@code retryable} says whether
 *                 trying again may help), SKIPPED (deliberately not done: dry run, whitelisted,
 *                 open breaker, disabled, nothing to do)
 * @param reason   why, for FAILED and SKIPPED; "" for DONE
 * @param affected what was acted on (canonical IPs, "pid:starttime", file paths)
 * @param signature the action role's Ed25519 signature over {@link #signedPayload()}, or "" when unsigned
 */
public record ActionResult(String commandId, String host, String op, Status status, String reason,
                           boolean retryable, List<String> affected, long finishedAt, String signature) {
  public static final int VERSION = 1;

  public enum Status {
    DONE, FAILED, SKIPPED;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    static Status fromWire(String s) {
      for (Status v : values()) if (v.wire().equals(s)) return v;
      throw new MessageFormatException("ActionResult.status: expected done|failed|skipped, got \"" + s + "\"");
    }
  }

  public ActionResult {
    if (commandId == null) throw new MessageFormatException("ActionResult.commandId: missing");
    if (status == null) throw new MessageFormatException("ActionResult.status: missing");
    if (reason == null) reason = "";
    affected = List.copyOf(affected);
    if (signature == null) signature = "";
  }

  /** An unsigned result (local mode, or before {@code ResultSigner#sign}). */
  public ActionResult(String commandId, String host, String op, Status status, String reason, boolean retryable,
                      List<String> affected, long finishedAt) {
    this(commandId, host, op, status, reason, retryable, affected, finishedAt, "");
  }

  public ActionResult withSignature(String sig) {
    return new ActionResult(commandId, host, op, status, reason, retryable, affected, finishedAt, sig);
  }

  /**
   * The canonical text a signature covers: every field but the signature, in a fixed order, so it
   * binds the outcome to the command id and the host.
   */
  public String signedPayload() {
    return withSignature("").toJson().encode();
  }

  /** Unsigned results carry no signature field, as before results were signed. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("v", VERSION).put("commandId", commandId).put("host", host).put("op", op)
        .put("status", status.wire()).put("reason", reason).put("retryable", retryable)
        .put("affected", new JsonArray(new ArrayList<>(affected))).put("finishedAt", finishedAt);
    return signature.isEmpty() ? json : json.put("signature", signature);
  }

  public static ActionResult fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "ActionResult").version(VERSION);
    ActionResult r = new ActionResult(f.str("commandId"), f.str("host"), f.str("op"),
        Status.fromWire(f.str("status")), f.str("reason"), f.bool("retryable"), f.strings("affected"),
        f.lng("finishedAt"), f.optStr("signature"));
    f.done();
    return r;
  }
}
