package io.panicmode.api;

import io.panicmode.config.HttpApiConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Guards mutating routes with {@code Authorization: Bearer <token>}. No token configured: the
 * routes are refused (403) rather than left open. Missing or malformed header: 401. Wrong token:
 * 403. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so neither the
 * content nor the length of the expected token leaks through timing.
 */
final class BearerAuth implements Handler<RoutingContext> {
  private static final int MAX_TOKEN_CHARS = 4096;
  private final byte[] expectedDigest;

  BearerAuth(String token) {
    this.expectedDigest = token == null ? null : sha256(token);
  }

  /** {@code http_api.token}, else the first line of {@code http_api.token_file}, else null. */
  static String resolveToken(HttpApiConfig c) throws IOException {
    if (c.token() != null && !c.token().isBlank()) return c.token().strip();
    if (c.tokenFile() == null || c.tokenFile().isBlank()) return null;
    String text = Files.readString(Path.of(c.tokenFile()), StandardCharsets.UTF_8).strip();
    int nl = text.indexOf('\n');
    String token = (nl < 0 ? text : text.substring(0, nl)).strip();
    if (token.isEmpty()) throw new IOException("token file " + c.tokenFile() + " is empty");
    return token;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expectedDigest == null) {
      Http.error(ctx, 403, "mutating routes are disabled: no http_api.token or token_file is configured");
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > MAX_TOKEN_CHARS) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"panicmode\"");
      Http.error(ctx, 401, "missing bearer token");
      return;
    }
    if (!MessageDigest.isEqual(expectedDigest, sha256(header.substring(7).strip()))) {
      Http.error(ctx, 403, "invalid token");
      return;
    }
    ctx.next();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
