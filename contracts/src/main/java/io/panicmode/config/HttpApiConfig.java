package io.panicmode.config;

import java.time.Duration;

/**
 * REST API. Mutating routes need {@code Authorization: Bearer <token>}; the token comes from
 * {@code token}, else {@code token_file}, else env {@code PANICMODE_API_TOKEN}; without one,
 * mutating routes are refused.
 */
public record HttpApiConfig(
    @Default("false") boolean enabled,
    @Default("127.0.0.1:8765") String bind,
    @Secret String token,
    String tokenFile,
    @Default("65536") int maxBodyBytes,
    @Default("10s") Duration requestTimeout,
    @Default("60s") Duration idleTimeout) {}
