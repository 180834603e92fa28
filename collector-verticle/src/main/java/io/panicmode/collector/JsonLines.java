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

  void row(long line, String ip, String user, String kind, int failures) {
    ascii("{\"line\":");
    number(line);
    ascii(",\"ip\":\"");
    ascii(ip);
    ascii("\",\"user\":");
    string(user);
    ascii(",\"kind\":\"");
    ascii(kind);
    ascii("\",\"failures\":");
    number(failures);
    ascii("}\n");
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
        ascii("\\n");
      } else if (c == '\t') {
        ascii("\\t");
      } else if (c == '\r') {
        ascii("\\r");
      } else {
        ascii("\\u");
        put(HEX[(c >> 12) & 15]);
        put(HEX[(c >> 8) & 15]);
        put(HEX[(c >> 4) & 15]);
        put(HEX[c & 15]);
      }
    }
    put('"');
  }

  /** Text known to be ASCII (addresses, kinds, literals). */
  private void ascii(String s) {
    for (int i = 0; i < s.length(); i++) put(s.charAt(i));
  }

  private void number(long v) {
    if (v == 0) {
      put('0');
      return;
    }
    if (v < 0) {
      put('-');
      v = -v;
    }
    int start = len;
    while (v > 0) {
      put((char) ('0' + (v % 10)));
      v /= 10;
    }
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
