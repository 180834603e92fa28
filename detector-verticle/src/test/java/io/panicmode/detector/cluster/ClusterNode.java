package io.panicmode.detector.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.StatusBoard;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A clustered Vert.x bound to 127.0.0.1 only, Hazelcast hardened as VERTX-NOTES.md says: no
 * multicast or auto-detection, tcp-ip join with each member listed, no phone home, no REST or
 * memcache, no Jet. Shared by the cluster test and the detector JVM it forks.
 */
final class ClusterNode {
  private ClusterNode() {}

  static final String HOST = "cluster-host";
  static final CommandSigner KEY = new CommandSigner("cluster-test-command-key-0123".getBytes(StandardCharsets.US_ASCII));

  static Vertx start(String clusterName, int port, List<Integer> memberPorts) throws Exception {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(clusterName);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.local.localAddress", "127.0.0.1");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.max.wait.seconds.before.join", "3");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.partition.count", "23"); // a test cluster: fewer partitions to migrate on join
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(port).setPortAutoIncrement(false).setPublicAddress("127.0.0.1:" + port);
    net.getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
    net.getRestApiConfig().setEnabled(false);
    net.getMemcacheProtocolConfig().setEnabled(false);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = new ArrayList<>();
    for (int p : memberPorts) members.add("127.0.0.1:" + p);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    hz.getJetConfig().setEnabled(false);
    VertxOptions opts = new VertxOptions().setEventBusOptions(
        new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1").setPort(0));
    return Vertx.builder().with(opts).withClusterManager(new HazelcastClusterManager(hz)).buildClustered().await();
  }

  static NodeContext context(Path stateFile) throws Exception {
    String yaml = """
        monitors:
          - name: ssh
            type: auth_failures
            threshold: 3
            actions: [block_ip, alert_critical]
        anomaly:
          enabled: false
        storage:
          state_file: "%s"
        """.formatted(stateFile);
    PanicConfig cfg = ConfigLoader.parse(yaml, "cluster-test.yaml", Map.of());
    return new NodeContext(cfg, HOST, Clock.systemUTC(), new MetricsRegistry(), new StatusBoard(), true, KEY, null,
        System.currentTimeMillis(), "test");
  }
}
