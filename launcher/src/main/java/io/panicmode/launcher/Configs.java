package io.panicmode.launcher;

import io.panicmode.config.ClusterConfig;
import io.panicmode.config.PanicConfig;

/** Small config rewrites the command line asks for. */
final class Configs {
  private Configs() {}

  static PanicConfig withClusterEnabled(PanicConfig c) {
    ClusterConfig k = c.cluster();
    ClusterConfig on = new ClusterConfig(true, k.name(), k.bind(), k.port(), k.members(), k.eventBusPort(), k.tls(),
        k.commandKeyFile(), k.operatorKeyFile(), k.joinTimeout());
    return new PanicConfig(c.node(), on, c.performance(), c.monitors(), c.actions(), c.alerts(), c.integrations(),
        c.customMetrics(), c.fileMonitor(), c.circuitBreakers(), c.storage(), c.anomaly(), c.httpApi(), c.firewall(),
        c.processes(), c.collector(), c.detector(), c.delivery(), c.fleet(), c.logging());
  }
}
