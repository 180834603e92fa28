package io.panicmode.config;

import java.util.List;

/** Channels per severity; critical is also used for "emergency". Tried in order until one delivers. */
public record AlertsConfig(
    @Default("[]") List<AlertChannelConfig> critical,
    @Default("[]") List<AlertChannelConfig> warning,
    @Default("[]") List<AlertChannelConfig> info) {}
