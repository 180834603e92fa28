package io.panicmode.collector.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One line of {@code journalctl -o json}. The program is decided by journald's trusted
 * {@code _COMM} field (set by the kernel from the executable, which a client cannot choose the way
 * it chooses {@code SYSLOG_IDENTIFIER}); the message text is never consulted for it. MESSAGE is a
 * string, or an array of byte values when it is not valid UTF-8.
 *
 * @param message the MESSAGE bytes, or null when the entry is not from sshd or has no message
 */
public record JournalEntry(String cursor, byte[] message, long pid, long tsMillis) {
  static final Set<String> SSHD_COMMS = Set.of("sshd", "sshd-session", "sshd-auth");

  /** Parses one JSON line; null when it is not JSON. */
  public static JournalEntry parse(String jsonLine) {
    JsonObject o;
    try {
      o = new JsonObject(jsonLine);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
    String cursor = o.getValue("__CURSOR") instanceof String c ? c : null;
    Object comm = o.getValue("_COMM");
    if (!(comm instanceof String s) || !SSHD_COMMS.contains(s)) return new JournalEntry(cursor, null, 0, -1);
    byte[] msg = bytes(o.getValue("MESSAGE"));
    return new JournalEntry(cursor, msg, number(o.getValue("_PID")), micros(o.getValue("__REALTIME_TIMESTAMP")));
  }

  private static byte[] bytes(Object v) {
    if (v instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
    if (v instanceof JsonArray a) {
      byte[] out = new byte[a.size()];
      for (int i = 0; i < a.size(); i++) {
        if (!(a.getValue(i) instanceof Number n)) return null;
        out[i] = (byte) n.intValue();
      }
      return out;
    }
    return null;
  }

  private static long number(Object v) {
    if (!(v instanceof String s) || s.isEmpty() || s.length() > 18) return 0;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return 0;
    return Long.parseLong(s);
  }

  private static long micros(Object v) {
    long us = number(v);
    return us == 0 ? -1 : us / 1000;
  }
}
