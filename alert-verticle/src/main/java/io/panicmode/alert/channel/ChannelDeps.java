package io.panicmode.alert.channel;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;

/**
 * What channels share: one web client (its pool serves every HTTP channel), the clock, the EHLO name for SMTP, and extra trust for SMTP TLS (null in
 * production: the JVM's trust store; tests trust GreenMail's self-signed certificate).
 */
public record ChannelDeps(Vertx vertx, WebClient http, Clock clock, String ehloName,
                          TrustOptions mailTrust) {}
