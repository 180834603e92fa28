package io.panicmode.config;

import java.util.List;
import java.util.Map;

/**
 * The whole config file. Every section of the Rust daemon's config reference keeps its key
 * names, meaning and defaults; {@code node}, {@code cluster}, {@code collector},
 * {@code detector}, {@code delivery}, {@code processes}, {@code fleet}, {@code logging} and {@code central} are
 * additions. Keys are snake_case in YAML ({@code checkInterval} here is {@code check_interval}).
 */
public record PanicConfig(
    @Default("{}") NodeConfig node,
    @Default("{}") ClusterConfig cluster,
    @Default("{}") PerformanceConfig performance,
    @Default("[]") List<MonitorRule> monitors,
    @Default("{}") Map<String, HookConfig> actions,
    @Default("{}") AlertsConfig alerts,
    @Default("{}") IntegrationsConfig integrations,
    @Default("{}") Map<String, CustomMetricConfig> customMetrics,
    @Default("{}") FileMonitorConfig fileMonitor,
    @Default("{}") CircuitBreakerConfig circuitBreakers,
    @Default("{}") StorageConfig storage,
    @Default("{}") AnomalyConfig anomaly,
    @Default("{}") HttpApiConfig httpApi,
    @Default("{}") FirewallConfig firewall,
    @Default("{}") ProcessesConfig processes,
    @Default("{}") CollectorConfig collector,
    @Default("{}") DetectorConfig detector,
    @Default("{}") DeliveryConfig delivery,
    @Default("{}") FleetConfig fleet,
    @Default("{}") LoggingConfig logging,
    @Default("{}") CentralConfig central) {

  public PanicConfig withNode(NodeConfig n) {
    return new PanicConfig(n, cluster, performance, monitors, actions, alerts, integrations, customMetrics, fileMonitor,
        circuitBreakers, storage, anomaly, httpApi, firewall, processes, collector, detector, delivery, fleet, logging, central);
  }

  public PanicConfig withCluster(ClusterConfig c) {
    return new PanicConfig(node, c, performance, monitors, actions, alerts, integrations, customMetrics, fileMonitor,
        circuitBreakers, storage, anomaly, httpApi, firewall, processes, collector, detector, delivery, fleet, logging, central);
  }
}
