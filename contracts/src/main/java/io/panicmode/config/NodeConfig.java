package io.panicmode.config;

import java.util.List;

/**
 * This process.
 *
 * @param id    host id used in event-bus addresses and stored rows; null means the host name
 *              (dots become dashes). Env {@code PANICMODE_HOST_ID}.
 * @param roles roles this process runs; empty means all. Env {@code PANICMODE_ROLES}; the
 *              launcher's {@code --roles} wins over both.
 */
public record NodeConfig(String id, @Default("[]") List<String> roles) {}
