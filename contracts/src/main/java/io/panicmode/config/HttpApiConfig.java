package io.panicmode.config;

import java.time.Duration;
import java.util.List;

/**
 * REST API. Mutating routes need {@code Authorization: Bearer <token>}; the token comes from
 * {@code token}, else {@code token_file}, else env {@code PANICMODE_API_TOKEN}; without one,
 * mutating routes are refused. {@code allowed_hosts} (an addition): further names the API answers
 * to in the {@code Host} header, besides the bind address and {@code localhost}; any other gets
 * 421, so a web page cannot read the API through DNS rebinding.
 */
public record HttpApiConfig(
    @Default("false") boolean enabled,
    @Default("127.0.0.1:8765") String bind,
    @Secret String token,
    String tokenFile,
    @Default("65536") int maxBodyBytes,
    @Default("10s") Duration requestTimeout,
    @Default("60s") Duration idleTimeout,
    @Default("[]") List<String> allowedHosts) {}
