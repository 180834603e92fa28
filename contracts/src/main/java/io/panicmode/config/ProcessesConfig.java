package io.panicmode.config;

/**
 * Process actions. {@code mass_freeze_file} null means env {@code PANICMODE_MASS_FREEZE_CONFIG},
 * else /etc/panicmode/mass_freeze.yaml (absent file = defaults). {@code dry_run} logs what would be
 * signalled and signals nothing (also settable in mass_freeze.yaml).
 */
public record ProcessesConfig(String massFreezeFile, @Default("false") boolean dryRun) {}
