package io.panicmode.config;

import java.util.List;
import java.util.Map;

/**
 * Channels per severity; critical is also used for "emergency". Tried in order until one delivers,
 * unless {@code mode} names the severity with {@link DeliveryMode#ALL}.
 */
public record AlertsConfig(
    @Default("[]") List<AlertChannelConfig> critical,
    @Default("[]") List<AlertChannelConfig> warning,
    @Default("[]") List<AlertChannelConfig> info,
    @Default("{}") Map<String, DeliveryMode> mode) {

  /** The delivery mode of {@code severity} ("critical", "warning", "info"); failover unless set. */
  public DeliveryMode modeOf(String severity) {
    return mode.getOrDefault(severity, DeliveryMode.FAILOVER);
  }
}
