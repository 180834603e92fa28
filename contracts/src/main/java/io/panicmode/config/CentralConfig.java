package io.panicmode.config;

/** How this host reaches, or serves as, the central tier (an addition). */
public record CentralConfig(@Default("{}") BridgeConfig bridge) {}
