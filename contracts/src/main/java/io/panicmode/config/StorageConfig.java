package io.panicmode.config;

import java.time.Duration;

/**
 * Where files go. {@code retention}, {@code snapshot_keep} and {@code snapshot_max_age} are
 * additions: incidents older than retention are pruned; snapshots beyond the count or age too.
 */
public record StorageConfig(
    @Default("/var/lib/panicmode/incidents.db") String incidentDb,
    @Default("/var/log/panicmode/snapshots") String snapshotDir,
    @Default("/var/log/panicmode") String logDir,
    @Default("/var/lib/panicmode/incident_state.json") String stateFile,
    @Default("90d") Duration retention,
    @Default("100") int snapshotKeep,
    @Default("30d") Duration snapshotMaxAge) {}
