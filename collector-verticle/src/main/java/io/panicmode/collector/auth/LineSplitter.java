package io.panicmode.collector.auth;

/**
 * Splits a byte stream fed in chunks into lines without ever holding more than
 * {@code maxLineBytes} of one line: a longer line is dropped whole (its start is discarded as soon
 * as it passes the cap, the rest up to its newline is skipped) and reported once through
 * {@link Sink#tooLong}. Not thread-safe.
 */
public final class LineSplitter {
  /** Receives lines (without the newline); the bytes are only valid during the call. */
  public interface Sink {
    void line(byte[] buf, int off, int len);

    void tooLong();
  }

  private final int max;
  private final byte[] partial;
  private int partialLen;
  private boolean discarding;

  public LineSplitter(int maxLineBytes) {
    this.max = maxLineBytes;
    this.partial = new byte[maxLineBytes];
  }

  public void feed(byte[] b, int off, int len, Sink sink) {
    int end = off + len;
    int p = off;
    while (p < end) {
      int nl = p;
      while (nl < end && b[nl] != '\n') nl++;
      if (nl == end) {
        append(b, p, end - p, sink);
        return;
      }
      if (discarding) {
        discarding = false;
      } else if (partialLen > 0) {
        if (partialLen + (nl - p) > max) {
          sink.tooLong();
        } else {
          System.arraycopy(b, p, partial, partialLen, nl - p);
          sink.line(partial, 0, partialLen + (nl - p));
        }
      } else if (nl - p > max) {
        sink.tooLong();
      } else {
        sink.line(b, p, nl - p);
      }
      partialLen = 0;
      p = nl + 1;
    }
  }

  /** Forgets a partial line (the file it came from was truncated or replaced). */
  public void reset() {
    partialLen = 0;
    discarding = false;
  }

  /** Emits a final line without newline (end of a whole file read). */
  public void finish(Sink sink) {
    if (!discarding && partialLen > 0) sink.line(partial, 0, partialLen);
    reset();
  }

  private void append(byte[] b, int p, int n, Sink sink) {
    if (discarding) return;
    if (partialLen + n > max) {
      discarding = true;
      partialLen = 0;
      sink.tooLong();
      return;
    }
    System.arraycopy(b, p, partial, partialLen, n);
    partialLen += n;
  }
}
