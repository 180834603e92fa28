package io.panicmode.launcher;

import io.panicmode.action.ActionVerticle;
import io.panicmode.alert.AlertVerticle;
import io.panicmode.api.ApiVerticle;
import io.panicmode.collector.CollectorVerticle;
import io.panicmode.contracts.Role;
import io.panicmode.detector.DetectorVerticle;
import io.panicmode.runtime.NodeContext;
import io.panicmode.storage.StorageVerticle;
import io.vertx.core.Deployable;

/** The one place that maps a role to its verticle. */
final class RoleVerticles {
  private RoleVerticles() {}

  static Deployable create(Role role, NodeContext ctx) {
    return switch (role) {
      case STORAGE -> new StorageVerticle(ctx);
      case ALERT -> new AlertVerticle(ctx);
      case ACTION -> new ActionVerticle(ctx);
      case DETECTOR -> new DetectorVerticle(ctx);
      case COLLECTOR -> new CollectorVerticle(ctx);
      case API -> new ApiVerticle(ctx);
    };
  }
}
