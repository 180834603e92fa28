package io.panicmode.launcher;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process that knows the cluster's name and members but is not one of them: it tries to join
 * and to reach {@code panicmode.action.HOST}, and prints {@code ROGUE-RESULT reached} or
 * {@code ROGUE-RESULT refused: …}. Run by tests in a namespace outside the member list.
 */
public final class RogueMain {
  private RogueMain() {}

  public static void main(String[] args) throws Exception {
    PanicConfig c = ConfigLoader.load(Path.of(args[0]), Map.of());
    String result;
    try {
      VertxOptions o = new VertxOptions().setEventBusOptions(ClusterSetup.eventBusOptions(c.cluster()));
      Vertx v = Vertx.builder().with(o).withClusterManager(ClusterSetup.clusterManager(c.cluster())).buildClustered()
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      v.eventBus().request(Addresses.action(args[1]), new JsonObject(), new DeliveryOptions().setSendTimeout(5000))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      result = "reached";
    } catch (java.util.concurrent.ExecutionException e) {
      boolean answered = e.getCause() instanceof io.vertx.core.eventbus.ReplyException re
          && re.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE;
      result = answered ? "reached" : "refused: " + e.getCause();
    } catch (Exception e) {
      result = "refused: " + e;
    }
    System.out.println("ROGUE-RESULT " + result);
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
