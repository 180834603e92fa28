package io.panicmode.collector;

import java.io.PrintStream;

/**
 * auth-scan's output: one JSON object per line, built as ASCII bytes and written in 64 KiB
 * blocks. Every character outside printable ASCII is written as a {@code \\uXXXX} escape, so
 * attacker text in user names reaches the admin's terminal neither as control sequences (C0, DEL,
 * C1 such as U+009B CSI) nor as bytes a terminal could misread; the JSON value is unchanged.
 */
final class JsonLines {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private final PrintStream out;
  private byte[] buf = new byte[1 << 16];
  private int len;

  JsonLines(PrintStream out) { this.out = out; }

  private static final byte[] ESC_N = ascii7("\\n");
  private static final byte[] ESC_T = ascii7("\\t");
  private static final byte[] ESC_R = ascii7("\\r");
  private static final byte[] ESC_U = ascii7("\\u");
  private static final byte[] LINE = ascii7("{\"line\":");
  private static final byte[] IP = ascii7(",\"ip\":\"");
  private static final byte[] USER = ascii7("\",\"user\":");
  private static final byte[] KIND = ascii7(",\"kind\":\"");
  private static final byte[] FAILURES = ascii7("\",\"failures\":");
  private static final byte[] END = ascii7("}\n");

  /** One row; {@code ip} and {@code kind} are ASCII (canonical addresses, fixed kind names). */
  void row(long line, String ip, String user, String kind, int failures) {
    put(LINE);
    number(line);
    put(IP);
    ascii(ip);
    put(USER);
    string(user);
    put(KIND);
    ascii(kind);
    put(FAILURES);
    number(failures);
    put(END);
    if (len > (1 << 16) - 512) flush();
  }

  void flush() {
    out.write(buf, 0, len);
    out.flush();
    len = 0;
  }

  /** Appends {@code v} as a JSON string, escaping as the class comment says. */
  void string(String v) {
    put('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"' || c == '\\') {
        put('\\');
        put(c);
      } else if (c >= 0x20 && c < 0x7f) {
        put(c);
      } else if (c == '\n') {
        put(ESC_N);
      } else if (c == '\t') {
        put(ESC_T);
      } else if (c == '\r') {
        put(ESC_R);
      } else {
        put(ESC_U);
        put(HEX[(c >> 12) & 15]);
        put(HEX[(c >> 8) & 15]);
        put(HEX[(c >> 4) & 15]);
        put(HEX[c & 15]);
      }
    }
    put('"');
  }

  /** Text known to be ASCII: copied in one block (a char-by-char loop is a third of auth-scan's time). */
  @SuppressWarnings("deprecation")
  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    // String.getBytes(int, int, byte[], int) keeps the low byte of each char: exact for ASCII.
    s.getBytes(0, n, buf, len);
    len += n;
  }

  private void put(byte[] literal) {
    ensure(literal.length);
    System.arraycopy(literal, 0, buf, len, literal.length);
    len += literal.length;
  }

  private void ensure(int room) {
    if (len + room > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + room));
  }

  private static byte[] ascii7(String s) { return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII); }

  /** Appends {@code v} (line numbers and counts: never negative) in decimal. */
  void number(long v) {
    ensure(20);
    int start = len;
    // Digits below 2^32 by multiply and shift: the JIT tier auth-scan runs on (C1) emits a real
    // division for "/ 10", and two divisions per digit were a tenth of auth-scan's time.
    while (v >= 0x1_0000_0000L) {
      buf[len++] = (byte) ('0' + v % 10);
      v /= 10;
    }
    do {
      long q = (v * 0xCCCC_CCCDL) >>> 35;
      buf[len++] = (byte) ('0' + (v - q * 10));
      v = q;
    } while (v > 0);
    for (int a = start, b = len - 1; a < b; a++, b--) {
      byte t = buf[a];
      buf[a] = buf[b];
      buf[b] = t;
    }
  }

  private void put(char c) { put((int) c); }

  private void put(int b) {
    if (len == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
    buf[len++] = (byte) b;
  }
}
