package io.panicmode.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.vertx.core.eventbus.EventBusOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Hazelcast and event-bus settings that keep a clustered node on its one configured address. */
class ClusterSetupTest {
  @Test
  void hazelcastIsHardened() throws Exception {
    PanicConfig c = ConfigLoader.parse("""
        cluster: {enabled: true, bind: 127.0.0.1, port: 5711, members: ["127.0.0.1:5712"]}
        """, "t", Map.of());
    Config hz = ClusterSetup.clusterManager(c.cluster()).getConfig();
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled(), "multicast off");
    assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection (cloud probes) off");
    assertFalse(join.getAwsConfig().isEnabled() || join.getGcpConfig().isEnabled() || join.getAzureConfig().isEnabled()
        || join.getKubernetesConfig().isEnabled(), "cloud discovery off");
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5712", "127.0.0.1:5711"), join.getTcpIpConfig().getMembers());
    assertEquals("false", hz.getProperty("hazelcast.phone.home.enabled"), "phone home off");
    assertEquals("false", hz.getProperty("hazelcast.socket.bind.any"), "no wildcard bind");
    assertEquals("127.0.0.1", hz.getProperty("hazelcast.local.localAddress"));
    assertTrue(hz.getNetworkConfig().getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(hz.getNetworkConfig().getInterfaces().getInterfaces()));
    assertFalse(hz.getNetworkConfig().getRestApiConfig().isEnabled());
    assertFalse(hz.getNetworkConfig().getMemcacheProtocolConfig().isEnabled());
    assertFalse(hz.getJetConfig().isEnabled());
    assertTrue(hz.getMultiMapConfigs().containsKey("__vertx.subs"), "Vert.x subscription map settings kept");
  }

  @Test
  void eventBusBindsTheClusterAddressWithTls() throws Exception {
    PanicConfig c = ConfigLoader.parse("""
        cluster:
          enabled: true
          bind: 127.0.0.1
          event_bus_port: 5801
          tls: {enabled: true, key_store: /x/node.p12, key_store_password: p, trust_store: /x/trust.p12, trust_store_password: p}
        """, "t", Map.of());
    EventBusOptions eb = ClusterSetup.eventBusOptions(c.cluster());
    assertEquals("127.0.0.1", eb.getHost());
    assertEquals("127.0.0.1", eb.getClusterPublicHost());
    assertEquals(5801, eb.getPort());
    assertTrue(eb.isSsl());
    assertEquals(io.vertx.core.http.ClientAuth.REQUIRED, eb.getClientAuth());
  }
}
