package io.panicmode.api;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.StorageQuery;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;

/** GET routes answered from storage (through {@link Addresses#STORAGE_QUERY}) and the fleet view. */
final class ReadRoutes {
  private final Vertx vertx;
  private final NodeContext node;
  private final FleetView fleet;
  private final DeliveryOptions storageOptions;

  ReadRoutes(Vertx vertx, NodeContext node, FleetView fleet, long storageTimeoutMs) {
    this.vertx = vertx;
    this.node = node;
    this.fleet = fleet;
    this.storageOptions = new DeliveryOptions().setSendTimeout(storageTimeoutMs);
  }

  /** {@code GET /api/v1/incidents?host=&severity=&rule=&since=&until=&limit=&cursor=}. */
  void incidents(RoutingContext rc) {
    long now = node.clock().millis();
    Map<String, String> p = Params.single(rc.queryParams(), Set.of("host", "severity", "rule", "since", "until", "limit", "cursor"));
    Long since = Params.time(p.get("since"), "since", now);
    Long until = Params.time(p.get("until"), "until", now);
    if (since != null && until != null && since > until) throw new ApiError(400, "since: after until");
    StorageQuery q = StorageQuery.incidents(Params.host(p.get("host"), "host"), Params.severity(p.get("severity")),
        Params.rule(p.get("rule")), since, until, now, Params.limit(p.get("limit")), Params.cursor(p.get("cursor")));
    page(rc, q);
  }

  /** {@code GET /api/v1/blocks?host=&ip=&all=&limit=&cursor=}: bans in force, or every ledger row with {@code all=true}. */
  void blocks(RoutingContext rc) {
    long now = node.clock().millis();
    Map<String, String> p = Params.single(rc.queryParams(), Set.of("host", "ip", "all", "limit", "cursor"));
    String ip = p.containsKey("ip") ? Params.ip(p.get("ip"), "ip") : null;
    StorageQuery q = StorageQuery.blocks(Params.host(p.get("host"), "host"), ip, !Params.bool(p.get("all"), "all"), now,
        Params.limit(p.get("limit")), Params.cursor(p.get("cursor")));
    page(rc, q);
  }

  /** {@code GET /api/v1/agents?host=}: one entry per host with its roles, last seen, stale flag and latest summary. */
  void agents(RoutingContext rc) {
    long now = node.clock().millis();
    Map<String, String> p = Params.single(rc.queryParams(), Set.of("host"));
    String host = Params.host(p.get("host"), "host");
    query(StorageQuery.agents(host, now, StorageQuery.MAX_LIMIT))
        .map(reply -> reply.getJsonArray("items"))
        // Storage down: the heartbeats heard here still make a useful, if partial, view.
        .recover(err -> Future.succeededFuture(new JsonArray()))
        .onSuccess(stored -> Http.json(rc, 200, new JsonObject().put("items", fleet.agents(stored, host, now))
            .put("staleAfterSecs", node.config().fleet().staleAfter().toSeconds())))
        .onFailure(err -> Http.fail(rc, err));
  }

  private void page(RoutingContext rc, StorageQuery q) {
    query(q).onSuccess(reply -> Http.json(rc, 200, new JsonObject().put("items", reply.getJsonArray("items"))
            .put("next", reply.getString("next"))))
        .onFailure(err -> Http.fail(rc, err));
  }

  Future<JsonObject> query(StorageQuery q) {
    return vertx.eventBus().<JsonObject>request(Addresses.STORAGE_QUERY, q.toJson(), storageOptions)
        .map(Message::body)
        .recover(err -> Future.failedFuture(Http.fromBus(err, "storage", 503, "storage unavailable: no storage verticle is running")));
  }
}
