package io.panicmode.storage;

/**
 * A storage failure. {@code environmental} failures (missing or read-only directory, full disk,
 * corruption, I/O error, lock contention) are about the database, not the write: the write is kept
 * and tried again once the database works. The others belong to one write and retrying it cannot help.
 */
public final class StorageException extends Exception {
  private final boolean environmental;

  public StorageException(String message, boolean environmental, Throwable cause) {
    super(message, cause);
    this.environmental = environmental;
  }

  public boolean environmental() { return environmental; }
}
