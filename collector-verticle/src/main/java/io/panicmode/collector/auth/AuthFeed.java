package io.panicmode.collector.auth;

/**
 * A live source of sshd lines feeding an {@link AuthPipeline}. Obligations: {@link #start}
 * returns at once and follows on its own daemon thread; the feed survives its input going away
 * (a rotated file, a restarted journalctl) by itself, reporting trouble through the callback
 * given at construction; {@link #close} stops the thread and any child process.
 */
public interface AuthFeed extends AutoCloseable {
  /** For logs and the status board, e.g. {@code file /var/log/auth.log}. */
  String describe();

  void start();

  @Override
  void close();
}
