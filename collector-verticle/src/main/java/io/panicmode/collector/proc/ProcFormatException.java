package io.panicmode.collector.proc;

/** A /proc file did not have the kernel format we parse; retrying reads the same format, so it does not help. */
public final class ProcFormatException extends RuntimeException {
  public ProcFormatException(String message) { super(message); }
}
