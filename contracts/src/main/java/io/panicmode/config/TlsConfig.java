package io.panicmode.config;

/**
 * Event-bus TLS with client authentication. Key and trust stores are PKCS12 files as written by
 * {@code panicmode certs}.
 */
public record TlsConfig(
    @Default("false") boolean enabled,
    String keyStore,
    @Secret String keyStorePassword,
    String trustStore,
    @Secret String trustStorePassword) {}
