package io.panicmode.config;

/**
 * SMTP. Port 587 means STARTTLS, 465 implicit TLS; {@code use_tls: false} sends in plain text.
 * Username and password are optional (no AUTH when absent).
 */
public record EmailConfig(
    @Default("true") boolean enabled,
    String smtpHost,
    @Default("587") int smtpPort,
    String smtpUsername,
    @Secret String smtpPassword,
    String fromEmail,
    String toEmail,
    @Default("true") boolean useTls) {}
