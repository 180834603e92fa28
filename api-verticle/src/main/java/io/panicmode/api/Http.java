package io.panicmode.api;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON responses and the mapping of event-bus failures to HTTP statuses. */
final class Http {
  private Http() {}

  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) return;
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  static void fail(RoutingContext ctx, Throwable t) {
    if (t instanceof ApiError e) {
      error(ctx, e.status, e.getMessage());
    } else {
      error(ctx, 500, "internal error");
    }
  }

  /**
   * An event-bus failure as an {@link ApiError}: nobody listening is {@code missing} (404 for an
   * unknown host, 503 for an absent storage), a timeout is 504, a refusal by the recipient keeps
   * its 4xx code and is 502 otherwise, except 503 which stays 503 (try again later).
   */
  static ApiError fromBus(Throwable t, String what, int missingStatus, String missingMessage) {
    if (t instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> new ApiError(missingStatus, missingMessage);
        case TIMEOUT -> new ApiError(504, what + " did not answer in time");
        default -> {
          int code = re.failureCode();
          int status = code >= 400 && code < 500 || code == 503 ? code : 502;
          yield new ApiError(status, what + ": " + re.getMessage());
        }
      };
    }
    return new ApiError(502, what + ": " + t.getMessage());
  }
}
