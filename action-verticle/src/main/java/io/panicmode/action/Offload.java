package io.panicmode.action;

import io.vertx.core.Future;
import java.util.concurrent.Callable;

/** Runs blocking work (programs, SQLite, /proc scans) off the event loop. */
@FunctionalInterface
public interface Offload {
  <T> Future<T> run(Callable<T> work);
}
