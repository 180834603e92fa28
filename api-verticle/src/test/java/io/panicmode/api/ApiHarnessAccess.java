package io.panicmode.api;

import io.vertx.core.Vertx;
import java.nio.file.Path;

/** Opens {@link ApiHarness} to tests in other packages (the ctl tests). */
public final class ApiHarnessAccess implements AutoCloseable {
  private final ApiHarness h;

  private ApiHarnessAccess(ApiHarness h) { this.h = h; }

  public static ApiHarnessAccess start(Path dir) throws Exception {
    return new ApiHarnessAccess(new ApiHarness(dir, "token: " + ApiHarness.TOKEN));
  }

  public Vertx vertx() { return h.vertx; }

  public int port() { return Integer.parseInt(h.base.substring(h.base.lastIndexOf(':') + 1)); }

  public String token() { return ApiHarness.TOKEN; }

  public Path socket() { return h.socket; }

  @Override
  public void close() throws Exception { h.close(); }
}
