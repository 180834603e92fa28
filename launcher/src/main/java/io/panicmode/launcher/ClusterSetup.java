package io.panicmode.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.panicmode.config.ClusterConfig;
import io.panicmode.config.TlsConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The clustered event bus, hardened. Hazelcast's defaults send multicast, phone home, probe
 * cloud metadata and bind every interface; here it binds the one configured address, joins by an
 * explicit TCP-IP member list and does nothing else on the network. Vert.x's own map and multimap
 * settings are kept by starting from {@link ConfigUtil#loadConfig()}.
 */
public final class ClusterSetup {
  private ClusterSetup() {}

  public static HazelcastClusterManager clusterManager(ClusterConfig c) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(c.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.local.localAddress", c.bind());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.max.wait.seconds.before.join", String.valueOf(Math.max(1, c.joinTimeout().toSeconds())));
    hz.setProperty("hazelcast.partition.count", "23");
    hz.setProperty("hazelcast.io.thread.count", "1");
    hz.setProperty("hazelcast.operation.thread.count", "1");
    hz.setProperty("hazelcast.operation.generic.thread.count", "1");
    hz.setProperty("hazelcast.event.thread.count", "1");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.integrity-checker.enabled", "false");
    // After a network split, look for the other side within seconds (the default waits 5 minutes).
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    hz.getJetConfig().setEnabled(false);

    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(c.port()).setPortAutoIncrement(false).setPortCount(1);
    net.setPublicAddress(c.bind() + ":" + c.port());
    net.getInterfaces().setEnabled(true).clear().addInterface(c.bind());
    net.getRestApiConfig().setEnabled(false);
    net.getMemcacheProtocolConfig().setEnabled(false);
    JoinConfig join = net.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(new java.util.ArrayList<>(c.members()))
        .setConnectionTimeoutSeconds(Math.max(1, (int) c.joinTimeout().toSeconds()));
    if (!c.members().contains(c.bind() + ":" + c.port())) {
      join.getTcpIpConfig().addMember(c.bind() + ":" + c.port());
    }
    return new HazelcastClusterManager(hz);
  }

  /** Event bus bound to the cluster address only; TLS with client authentication when configured. */
  public static EventBusOptions eventBusOptions(ClusterConfig c) {
    EventBusOptions eb = new EventBusOptions().setHost(c.bind()).setClusterPublicHost(c.bind()).setPort(c.eventBusPort())
        .setClusterPublicPort(c.eventBusPort());
    TlsConfig tls = c.tls();
    if (tls.enabled()) {
      eb.setSsl(true)
          .setKeyCertOptions(new PfxOptions().setPath(tls.keyStore()).setPassword(tls.keyStorePassword()))
          .setTrustOptions(new PfxOptions().setPath(tls.trustStore()).setPassword(tls.trustStorePassword()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return eb;
  }
}
