package io.panicmode.detector.cluster;

import io.panicmode.detector.DetectorVerticle;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * The second detector JVM of {@link TwoJvmClusterTest}: joins the cluster, deploys a detector,
 * answers stats requests, and exits when its stdin closes (the test ended or died).
 * Args: clusterName ownPort peerPort stateFile.
 */
public final class ClusterDetectorMain {
  private ClusterDetectorMain() {}

  public static void main(String[] args) throws Exception {
    String cluster = args[0];
    int own = Integer.parseInt(args[1]);
    int peer = Integer.parseInt(args[2]);
    Vertx vertx = ClusterNode.start(cluster, own, List.of(peer, own));
    NodeContext ctx = ClusterNode.context(Path.of(args[3]));
    vertx.eventBus().<JsonObject>consumer(TwoJvmClusterTest.STATS_ADDRESS, m -> m.reply(TwoJvmClusterTest.stats(ctx)))
        .completion().await();
    vertx.deployVerticle(new DetectorVerticle(ctx)).await();
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Block until the parent closes our stdin.
    }
    vertx.close().await();
    System.exit(0);
  }
}
