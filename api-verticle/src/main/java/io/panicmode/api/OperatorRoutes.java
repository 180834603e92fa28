package io.panicmode.api;

import io.panicmode.config.ActionKind;
import io.panicmode.config.Durations;
import io.panicmode.config.FirewallConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.JsonFields;
import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.ProcessRef;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Manual block, unblock and thaw. Each becomes an {@link ActionCommand} ({@code issuedBy
 * "operator"}, signed with the operator key when there is one) to the target host's action
 * verticle; its {@link ActionResult} decides the HTTP status: done 200/201, skipped 409, failed 503
 * (retryable) or 502, no action verticle for the host 404, no answer 504. Only then is the ledger
 * written through storage; the response says whether that write was acknowledged.
 */
final class OperatorRoutes {
  private static final int MAX_REASON_CHARS = 500;

  private final Vertx vertx;
  private final NodeContext node;
  private final DeliveryOptions actionOptions;
  private final DeliveryOptions storageOptions;

  OperatorRoutes(Vertx vertx, NodeContext node, long actionTimeoutMs, long storageTimeoutMs) {
    this.vertx = vertx;
    this.node = node;
    this.actionOptions = new DeliveryOptions().setSendTimeout(actionTimeoutMs);
    this.storageOptions = new DeliveryOptions().setSendTimeout(storageTimeoutMs);
  }

  /** {@code POST /api/v1/blocks} with {@code {"ip", "host"?, "duration"?: "1h", "reason"?}}. */
  void block(RoutingContext rc) {
    JsonObject body = body(rc, true);
    String ip;
    String host;
    long durationSecs;
    String reason;
    try {
      JsonFields f = JsonFields.of(body, "body");
      ip = Params.ip(f.str("ip"), "ip");
      host = hostOrLocal(f.optStr("host"));
      String duration = f.optStr("duration");
      reason = reason(f.optStr("reason"), "manual block");
      f.done();
      durationSecs = duration == null ? 0 : durationSecs(duration);
    } catch (MessageFormatException e) {
      throw new ApiError(400, e.getMessage());
    }
    long now = node.clock().millis();
    ActionCommand cmd = command(host, ActionKind.BLOCK_IP.wire(), List.of(ip), List.of(), durationSecs, reason, now);
    send(cmd).onSuccess(result -> {
      if (result.status() != ActionResult.Status.DONE) {
        notDone(rc, result);
        return;
      }
      Duration policy = node.config().firewall().banDuration();
      // Boxed on every branch: a mixed long/null conditional unboxes null and throws.
      Long expiresAt = durationSecs > 0 ? Long.valueOf(now + durationSecs * 1000)
          : policy == null ? null : Long.valueOf(now + policy.toMillis());
      BlockRecord rec = new BlockRecord(host, ip, now, expiresAt, reason, null, 1);
      // Same write id the action verticle uses for this command, so both reports are one ledger entry.
      ledger(StorageWrite.block(rec, cmd.id())).onComplete(recorded -> Http.json(rc, 201, new JsonObject()
          .put("status", "blocked").put("host", host).put("ip", ip).put("expiresAt", expiresAt)
          .put("commandId", cmd.id()).put("recorded", recorded.result())));
    }).onFailure(err -> Http.fail(rc, err));
  }

  /** {@code DELETE /api/v1/blocks/{ip}?host=&reason=}. */
  void unblock(RoutingContext rc) {
    Map<String, String> p = Params.single(rc.queryParams(), Set.of("host", "reason"));
    String ip = Params.ip(rc.pathParam("ip"), "ip");
    String host = hostOrLocal(p.get("host"));
    String reason = reason(p.get("reason"), "manual unblock");
    long now = node.clock().millis();
    ActionCommand cmd = command(host, ActionKind.UNBLOCK_IP.wire(), List.of(ip), List.of(), 0, reason, now);
    send(cmd).onSuccess(result -> {
      if (result.status() != ActionResult.Status.DONE) {
        notDone(rc, result);
        return;
      }
      JsonObject unblock = new JsonObject().put("host", host).put("ip", ip).put("at", now).put("by", "operator")
          .put("reason", reason);
      ledger(new StorageWrite("unblock:" + cmd.id() + ":" + ip, StorageWrite.Kind.UNBLOCK, unblock))
          .onComplete(recorded -> Http.json(rc, 200, new JsonObject().put("status", "unblocked").put("host", host)
              .put("ip", ip).put("commandId", cmd.id()).put("recorded", recorded.result())));
    }).onFailure(err -> Http.fail(rc, err));
  }

  /**
   * {@code POST /api/v1/processes/{pid}/thaw} with optional {@code {"host", "startTime"}}. Without
   * a start time the action verticle thaws the process it froze under that pid, and only that one.
   */
  void thaw(RoutingContext rc) {
    int pid;
    try {
      pid = Integer.parseInt(rc.pathParam("pid"));
    } catch (NumberFormatException e) {
      throw new ApiError(400, "pid: expected a positive integer");
    }
    if (pid <= 0) throw new ApiError(400, "pid: expected a positive integer");
    JsonObject body = body(rc, false);
    String host;
    long startTime;
    try {
      JsonFields f = JsonFields.of(body, "body");
      host = hostOrLocal(f.optStr("host"));
      Long st = f.optLng("startTime");
      f.done();
      if (st != null && st < 0) throw new ApiError(400, "startTime: must be >= 0");
      startTime = st == null ? 0 : st;
    } catch (MessageFormatException e) {
      throw new ApiError(400, e.getMessage());
    }
    ActionCommand cmd = command(host, ActionKind.THAW.wire(), List.of(), List.of(new ProcessRef(pid, startTime, "")), 0, "manual thaw",
        node.clock().millis());
    send(cmd).onSuccess(result -> {
      if (result.status() != ActionResult.Status.DONE) {
        notDone(rc, result);
        return;
      }
      Http.json(rc, 200, new JsonObject().put("status", "thawed").put("host", host).put("pid", pid)
          .put("affected", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(result.affected())))
          .put("commandId", cmd.id()));
    }).onFailure(err -> Http.fail(rc, err));
  }

  private ActionCommand command(String host, String op, List<String> ips, List<ProcessRef> procs, long durationSecs,
                                String reason, long now) {
    ActionCommand c = new ActionCommand(UUID.randomUUID().toString(), host, op, ips, procs, durationSecs, reason, "", null,
        "operator", now, "");
    return node.operatorKey() == null ? c : node.operatorKey().sign(c);
  }

  private Future<ActionResult> send(ActionCommand cmd) {
    return forward(cmd).andThen(ar -> node.metrics().counter("panicmode_api_operator_commands_total",
        "Operator commands sent by the api, by op and outcome", "op", cmd.op(),
        "outcome", ar.succeeded() ? ar.result().status().wire() : "error").increment());
  }

  private Future<ActionResult> forward(ActionCommand cmd) {
    return vertx.eventBus().<JsonObject>request(Addresses.action(cmd.host()), cmd.toJson(), actionOptions)
        .recover(err -> Future.failedFuture(Http.fromBus(err, "action verticle of " + cmd.host(), 404,
            "unknown host " + cmd.host() + ": no action verticle answers for it")))
        .compose(reply -> {
          try {
            ActionResult r = ActionResult.fromJson(reply.body());
            return Future.succeededFuture(node.resultVerifier() == null ? r
                : node.resultVerifier().vet(cmd, r, node.metrics(), "api"));
          } catch (MessageFormatException | ClassCastException e) {
            return Future.failedFuture(new ApiError(502, "action verticle of " + cmd.host() + " sent a malformed result"));
          }
        });
  }

  /** True once storage acknowledged the write; false (not an error: the action did happen) otherwise. */
  private Future<Boolean> ledger(StorageWrite w) {
    return vertx.eventBus().request(Addresses.STORAGE, w.toJson(), storageOptions)
        .map(reply -> true)
        .otherwise(false);
  }

  private static void notDone(RoutingContext rc, ActionResult r) {
    int status = r.status() == ActionResult.Status.SKIPPED ? 409 : r.retryable() ? 503 : 502;
    Http.json(rc, status, new JsonObject().put("error", r.op() + " " + r.status().wire() + ": " + r.reason())
        .put("result", r.toJson()));
  }

  private String hostOrLocal(String host) {
    return host == null ? node.hostId() : Params.host(host, "host");
  }

  private static String reason(String given, String fallback) {
    if (given == null || given.isBlank()) return fallback;
    if (given.length() > MAX_REASON_CHARS) throw new ApiError(400, "reason: longer than " + MAX_REASON_CHARS + " characters");
    if (given.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) throw new ApiError(400, "reason: control characters are not allowed");
    return given;
  }

  private static long durationSecs(String text) {
    try {
      Duration d = Durations.parse(text);
      if (d.toSeconds() <= 0) throw new ApiError(400, "duration: must be at least 1s");
      if (d.compareTo(FirewallConfig.MAX_BAN_DURATION) > 0) {
        throw new ApiError(400, "duration: must be at most " + Durations.format(FirewallConfig.MAX_BAN_DURATION)
            + "; got \"" + Params.clip(text) + "\" (leave it out for a permanent ban)");
      }
      return d.toSeconds();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ApiError(400, "duration: expected e.g. 30m, 1h, 7d; got \"" + Params.clip(text) + "\"");
    }
  }

  private static JsonObject body(RoutingContext rc, boolean required) {
    if (rc.body() == null || rc.body().length() <= 0) {
      if (required) throw new ApiError(400, "request body: expected a JSON object");
      return new JsonObject();
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(rc.body().buffer());
      if (parsed instanceof JsonObject o) return o;
    } catch (DecodeException e) {
      throw new ApiError(400, "request body: malformed JSON");
    }
    throw new ApiError(400, "request body: expected a JSON object");
  }
}
