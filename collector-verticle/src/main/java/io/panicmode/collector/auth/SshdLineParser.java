package io.panicmode.collector.auth;

import io.panicmode.contracts.net.StrictIp;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.function.LongSupplier;

/**
 * Recognises OpenSSH authentication failures in syslog lines (or in journald messages), working
 * on raw bytes without regular expressions.
 *
 * <p>Why it cannot be tricked: the whole line is anchored. The header must be a syslog or ISO
 * timestamp, a host name, and a program token that is exactly {@code sshd[pid]:} (or
 * {@code sshd-session[pid]:}, the per-connection process of OpenSSH 9.8 and later). Each message
 * form is matched against its fixed prefix at the start and its fixed suffix at the end. The IP
 * is taken only at the position sshd writes it: for forms where the attacker-chosen user name
 * precedes the address ({@code ... for <user> from <ip> port <n> ssh2}), the suffix is read from
 * the right, so text inside the user name ({@code x from 198.51.100.9 port 22}) is never taken;
 * for forms where the address comes first ({@code Unable to negotiate with <ip> port <n>: ...})
 * it is read from the left and what follows is ignored. The address must be a plain IP
 * ({@link StrictIp}); host names are not resolved.
 *
 * <p>Why it is linear: every form does a constant number of forward or backward scans with
 * fixed literals of bounded length, so the cost is O(line length) whatever the input; lines are
 * also capped by the caller ({@code collector.max_line_bytes}). Not thread-safe (it keeps
 * the last timestamp): one parser per thread.
 */
public final class SshdLineParser {
  private static final byte[] SSHD = ascii("sshd");
  private static final byte[] SSHD_SESSION = ascii("sshd-session");
  private static final byte[] SSHD_AUTH = ascii("sshd-auth");
  private static final byte[] BRACKETED_SSHD = ascii("[sshd]");
  private static final byte[] SOLARIS_ID = ascii("[ID ");
  private static final byte[] REPEATED = ascii("message repeated ");
  private static final byte[] REPEATED_TIMES = ascii(" times: [ ");
  private static final byte[] ERROR_PREFIX = ascii("error: ");
  private static final byte[] FATAL_PREFIX = ascii("fatal: ");
  private static final byte[] ILLEGAL_USER_PREFIX = ascii("Illegal user ");
  private static final byte[] ILLEGAL_USER = ascii("illegal user ");
  private static final byte[] SSH1 = ascii(" ssh1");
  private static final byte[] SSH1_RUSER = ascii(" ssh1: ruser ");
  private static final byte[] SSH2_COLON_SPACE = ascii(" ssh2: ");
  private static final byte[] CLIENT_HOST = ascii(", client host \"");
  private static final byte[] M_PASSWORD = ascii("password");
  private static final byte[] M_PUBLICKEY = ascii("publickey");
  private static final byte[] M_RSA = ascii("rsa");
  private static final byte[] M_NONE = ascii("none");
  private static final byte[] M_KBD = ascii("keyboard-interactive");
  private static final byte[] PAM_OLD_AUTH = ascii("authentication failure; logname=");
  private static final byte[] PAM_ERROR = ascii("PAM: ");
  private static final byte[] VIA = ascii(" via ");
  /** pam_strerror texts (Linux-PAM and OpenPAM) that sshd's PAM code logs for a failed attempt. */
  private static final byte[][] PAM_ERRORS = {
      ascii("Authentication failure"), ascii("authentication failure"), ascii("Authentication error"),
      ascii("authentication error"), ascii("User not known to the underlying authentication module"),
      ascii("unknown user"), ascii("Have exhausted maximum number of retries for service"),
      ascii("Authentication service cannot retrieve authentication info"), ascii("Permission denied"),
      ascii("permission denied")};
  private static final byte[] DISCONNECTED_FROM = ascii("Disconnected from ");
  private static final byte[] RECEIVED_DISCONNECT = ascii("Received disconnect from ");
  private static final byte[] AUTH_FAIL = ascii("Auth fail");
  private static final byte[] NO_AUTH_METHODS = ascii("No supported authentication methods available");
  private static final byte[] USER_CHANGE = ascii(": Change of username or service not allowed: (");
  private static final byte[] REFUSED_CONNECT = ascii("refused connect from ");
  private static final byte[] FAILED = ascii("Failed ");
  private static final byte[] FOR = ascii(" for ");
  private static final byte[] INVALID_USER_PREFIX = ascii("Invalid user ");
  private static final byte[] INVALID_USER = ascii("invalid user ");
  private static final byte[] AUTHENTICATING_USER = ascii("authenticating user ");
  private static final byte[] PREAUTH = ascii(" [preauth]");
  private static final byte[] SSH2 = ascii(" ssh2");
  private static final byte[] SSH2_COLON = ascii(" ssh2:");
  private static final byte[] PORT = ascii(" port ");
  private static final byte[] FROM = ascii(" from ");
  private static final byte[] PAM = ascii("pam_");
  private static final byte[] PAM_AUTH = ascii("(sshd:auth): authentication failure; logname=");
  private static final byte[] UID = ascii(" uid=");
  private static final byte[] EUID = ascii(" euid=");
  private static final byte[] TTY = ascii(" tty=");
  private static final byte[] RUSER = ascii(" ruser=");
  private static final byte[] RHOST = ascii(" rhost=");
  private static final byte[] USER_EQ = ascii("user=");
  private static final byte[] CONN_CLOSED = ascii("Connection closed by ");
  private static final byte[] CONN_RESET = ascii("Connection reset by ");
  private static final byte[] MAX_ATTEMPTS = ascii("maximum authentication attempts exceeded for ");
  private static final byte[] DISCONNECTING = ascii("Disconnecting ");
  private static final byte[] TOO_MANY = ascii(": Too many authentication failures");
  private static final byte[] NO_IDENT = ascii("Did not receive identification string from ");
  private static final byte[] BANNER = ascii("banner exchange: Connection from ");
  private static final byte[] BAD_PROTOCOL = ascii("Bad protocol version identification ");
  private static final byte[] UNABLE = ascii("Unable to negotiate with ");
  private static final byte[] ROOT_REFUSED = ascii("ROOT LOGIN REFUSED FROM ");
  private static final byte[] USER_PREFIX = ascii("User ");
  private static final byte[][] NOT_ALLOWED = {
      ascii(" not allowed because not listed in AllowUsers"),
      ascii(" not allowed because listed in DenyUsers"),
      ascii(" not allowed because not in any group"),
      ascii(" not allowed because a group is listed in DenyGroups"),
      ascii(" not allowed because none of user's groups are listed in AllowGroups")};
  private static final int MAX_IP_TEXT = 45;

  private final ZoneId zone;
  private final LongSupplier nowMillis;
  private final int fixedYear;
  /** Log lines come in bursts within the same second: the last timestamp text and its value. */
  private final byte[] lastTs = new byte[40];
  private int lastTsLen = -1;
  private long lastTsMillis;

  /**
   * For live logs: a classic syslog timestamp (no year) gets the current year, or the previous
   * one when that would put it more than a day in the future (December lines read in January).
   */
  public static SshdLineParser live(ZoneId zone, LongSupplier nowMillis) { return new SshdLineParser(zone, nowMillis, 0); }

  /** For a whole old log: classic timestamps get {@code year}. */
  public static SshdLineParser forYear(ZoneId zone, int year) { return new SshdLineParser(zone, null, year); }

  private SshdLineParser(ZoneId zone, LongSupplier nowMillis, int fixedYear) {
    this.zone = zone;
    this.nowMillis = nowMillis;
    this.fixedYear = fixedYear;
  }

  /** A whole syslog line (no newline); null when it is not an sshd failure. */
  public SshdFailure parseLine(byte[] b, int off, int len) {
    int end = off + len;
    // Trailing blanks (and a CR from a file written on another system) are not part of the message.
    while (end > off && (b[end - 1] == ' ' || b[end - 1] == '\r')) end--;
    int p = off;
    boolean rfc5424 = false;
    if (p < end && b[p] == '<') {
      // "<38>" priority (RFC 3164 as sent on the wire) and "<38>1 " (RFC 5424).
      int q = p + 1;
      while (q < end && isDigit(b[q]) && q - p <= 3) q++;
      if (q == p + 1 || q >= end || b[q] != '>') return null;
      p = q + 1;
      if (p + 1 < end && b[p] == '1' && b[p + 1] == ' ') {
        rfc5424 = true;
        p += 2;
      }
    }
    int tsStart = p;
    int tsEnd;
    if (!rfc5424 && end - p >= 15 && isMonth(b, p) && b[p + 3] == ' ') {
      // "Nov 27 16:29:43" and "Dec  2 10:00:00" (15 bytes), or "Dec 2 10:00:00" (14 bytes: the
      // day unpadded, as rsyslog templates, busybox and some appliances write it).
      tsEnd = classicEnd(b, p, end);
      if (tsEnd < 0) return null;
    } else if (end - p >= 20 && isDigit(b[p]) && isDigit(b[p + 1]) && isDigit(b[p + 2]) && isDigit(b[p + 3]) && b[p + 4] == '-') {
      tsEnd = indexOf(b, p, Math.min(end, p + 40), (byte) ' ');
      if (tsEnd < 0 || !isoShape(b, p, tsEnd)) return null;
    } else {
      return null;
    }
    p = tsEnd + 1;
    int msg;
    long pid;
    if (rfc5424) {
      // HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG, e.g. "web1 sshd 812 - - Failed ..."
      int hostEnd = indexOf(b, p, Math.min(end, p + 256), (byte) ' ');
      if (hostEnd <= p) return null;
      int app = hostEnd + 1;
      int appEnd = indexOf(b, app, Math.min(end, app + 49), (byte) ' ');
      if (appEnd < 0 || !isSshdProgram(b, app, appEnd)) return null;
      int procEnd = indexOf(b, appEnd + 1, Math.min(end, appEnd + 130), (byte) ' ');
      if (procEnd < 0) return null;
      pid = pidOf(b, appEnd + 1, procEnd);
      if (pid < 0) return null;
      int msgIdEnd = indexOf(b, procEnd + 1, Math.min(end, procEnd + 34), (byte) ' ');
      if (msgIdEnd < 0) return null;
      msg = structuredDataEnd(b, msgIdEnd + 1, end);
      if (msg < 0) return null;
      if (msg < end) {
        if (b[msg] != ' ') return null;
        msg++;
      }
      if (msg + 3 <= end && (b[msg] & 0xff) == 0xEF && (b[msg + 1] & 0xff) == 0xBB && (b[msg + 2] & 0xff) == 0xBF) msg += 3;
    } else {
      // An optional host name, then "sshd[pid]: ", "sshd-session[pid]: ", "sshd-auth[pid]: ",
      // "sshd(pam_unix)[pid]: ", or "[sshd]: " / "[sshd] " (relays that drop the pid).
      int prog = p;
      int progColon = programColon(b, prog, end);
      int bracketed = progColon < 0 ? bracketedProgramEnd(b, prog, end) : -1;
      if (progColon < 0 && bracketed < 0) {
        int hostEnd = indexOf(b, p, Math.min(end, p + 256), (byte) ' ');
        if (hostEnd <= p) return null;
        prog = hostEnd + 1;
        progColon = programColon(b, prog, end);
        bracketed = progColon < 0 ? bracketedProgramEnd(b, prog, end) : -1;
        if (progColon < 0 && bracketed < 0) return null;
      }
      if (progColon >= 0) {
        pid = programPid(b, prog, progColon);
        msg = progColon + 2;
      } else {
        pid = 0;
        msg = bracketed;
      }
    }
    // Solaris and illumos tag every message: "[ID 800047 auth.info] ".
    if (msg < end && b[msg] == '[' && startsWith(b, msg, end, SOLARIS_ID)) {
      int close = indexOf(b, msg, Math.min(end, msg + 48), (byte) ']');
      if (close < 0 || close + 1 >= end || b[close + 1] != ' ') return null;
      msg = close + 2;
    }
    // The timestamp is kept from the previous line when the text is the same, so this is a short compare.
    return parseMessage(b, msg, end - msg, pid, timestamp(b, tsStart, tsEnd));
  }

  /**
   * End of RFC 5424 STRUCTURED-DATA starting at {@code s}: "-" or one or more "[id param="v" ...]"
   * elements, where a quoted value may hold ']' and backslash escapes. Added by the relay, never
   * by sshd, and skipped unread; -1 when it is malformed.
   */
  private static int structuredDataEnd(byte[] b, int s, int end) {
    if (s >= end) return -1;
    if (b[s] == '-') return s + 1;
    int p = s;
    while (p < end && b[p] == '[') {
      boolean quoted = false;
      p++;
      while (p < end && (quoted || b[p] != ']')) {
        if (quoted && b[p] == '\\') p++;
        else if (b[p] == '"') quoted = !quoted;
        p++;
      }
      if (p >= end) return -1;
      p++;
    }
    return p == s ? -1 : p;
  }

  /** True for the program names of OpenSSH's server processes. */
  private static boolean isSshdProgram(byte[] b, int s, int e) {
    return equalsAt(b, s, e, SSHD) || equalsAt(b, s, e, SSHD_SESSION) || equalsAt(b, s, e, SSHD_AUTH);
  }

  /**
   * Position of the ':' ending an sshd program token that starts at {@code s} ("sshd[12]: ",
   * "sshd(pam_unix)[12]: "), followed by a space; -1 when the token is anything else.
   */
  private static int programColon(byte[] b, int s, int end) {
    // Most lines name a host or another program here: one byte decides.
    if (s >= end || b[s] != 's' || !startsWith(b, s, end, SSHD)) return -1;
    int p = s + SSHD.length;
    if (p < end && b[p] == '-') {
      if (startsWith(b, s, end, SSHD_SESSION)) p = s + SSHD_SESSION.length;
      else if (startsWith(b, s, end, SSHD_AUTH)) p = s + SSHD_AUTH.length;
      else return -1;
    }
    if (p < end && b[p] == '(' && p == s + SSHD.length) {
      // Old Linux-PAM: "sshd(pam_unix)[123]: authentication failure; ..."
      int close = indexOf(b, p, Math.min(end, p + 34), (byte) ')');
      if (close < 0 || !pamModuleName(b, p + 1, close)) return -1;
      p = close + 1;
      if (p >= end || b[p] != '[') return -1;
    }
    if (p >= end || b[p] != '[') return -1;
    int q = p + 1;
    while (q < end && isDigit(b[q]) && q - p <= 10) q++;
    if (q == p + 1 || q - p > 10 || q + 2 > end || b[q] != ']') return -1;
    p = q + 1;
    return p + 1 < end && b[p] == ':' && b[p + 1] == ' ' ? p : -1;
  }

  /** Where the message starts after "[sshd]: " or "[sshd] " at {@code s}, or -1. */
  private static int bracketedProgramEnd(byte[] b, int s, int end) {
    if (s >= end || b[s] != '[' || !startsWith(b, s, end, BRACKETED_SSHD)) return -1;
    int p = s + BRACKETED_SSHD.length;
    if (p + 1 < end && b[p] == ':' && b[p + 1] == ' ') return p + 2;
    return p < end && b[p] == ' ' ? p + 1 : -1;
  }

  /** The pid inside the program token [s, colon). */
  private static long programPid(byte[] b, int s, int colon) {
    int open = lastIndexOf(b, s, colon, (byte) '[');
    return pidOf(b, open + 1, colon - 1);
  }

  /** A decimal pid of 1-10 digits, 0 for "-" (RFC 5424 nil), -1 otherwise. */
  private static long pidOf(byte[] b, int s, int e) {
    if (e - s == 1 && b[s] == '-') return 0;
    if (e <= s || e - s > 10) return -1;
    long v = 0;
    for (int i = s; i < e; i++) {
      if (!isDigit(b[i])) return -1;
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  private static boolean pamModuleName(byte[] b, int s, int e) {
    if (!startsWith(b, s, e, PAM) || e - s > 32) return false;
    for (int i = s; i < e; i++) if (!((b[i] >= 'a' && b[i] <= 'z') || isDigit(b[i]) || b[i] == '_')) return false;
    return true;
  }

  /** The message part only (program already known to be sshd, e.g. from journald's fields). */
  public SshdFailure parseMessage(byte[] b, int off, int len, long pid, long tsMillis) {
    int s = off;
    int e = off + len;
    // rsyslog folds identical lines: "message repeated 3 times: [ Failed password for ...]".
    int repeats = 1;
    if (s < e && b[s] == 'm' && startsWith(b, s, e, REPEATED)) {
      int q = s + REPEATED.length;
      int n = 0;
      int digits = 0;
      while (q < e && isDigit(b[q]) && digits < 6) {
        n = n * 10 + (b[q] - '0');
        q++;
        digits++;
      }
      if (digits == 0 || n < 1 || !startsWith(b, q, e, REPEATED_TIMES) || b[e - 1] != ']') return null;
      repeats = n;
      s = q + REPEATED_TIMES.length;
      e = e - 1;
    }
    // Messages logged at error or fatal level carry the level first.
    if (s < e && b[s] == 'e' && startsWith(b, s, e, ERROR_PREFIX)) s += ERROR_PREFIX.length;
    else if (s < e && b[s] == 'f' && startsWith(b, s, e, FATAL_PREFIX)) s += FATAL_PREFIX.length;
    SshdFailure f = message(b, s, e, pid, tsMillis);
    return f == null || repeats == 1 ? f : f.repeated(repeats);
  }

  private SshdFailure message(byte[] b, int s, int e, long pid, long tsMillis) {
    if (e - s <= 0) return null;
    switch (b[s]) {
      case 'F':
        return startsWith(b, s, e, FAILED) ? failed(b, s + FAILED.length, e, pid, tsMillis) : null;
      case 'I':
        if (startsWith(b, s, e, INVALID_USER_PREFIX)) return invalidUser(b, s + INVALID_USER_PREFIX.length, e, pid, tsMillis);
        if (startsWith(b, s, e, ILLEGAL_USER_PREFIX)) return invalidUser(b, s + ILLEGAL_USER_PREFIX.length, e, pid, tsMillis);
        return null;
      case 'p':
        return startsWith(b, s, e, PAM) ? pam(b, s + PAM.length, e, pid, tsMillis) : null;
      case 'a':
        return startsWith(b, s, e, PAM_OLD_AUTH) ? pamFields(b, s + PAM_OLD_AUTH.length, e, pid, tsMillis) : null;
      case 'P':
        return startsWith(b, s, e, PAM_ERROR) ? pamError(b, s + PAM_ERROR.length, e, pid, tsMillis) : null;
      case 'C':
        if (startsWith(b, s, e, CONN_CLOSED)) return closed(b, s + CONN_CLOSED.length, e, pid, tsMillis);
        if (startsWith(b, s, e, CONN_RESET)) return closed(b, s + CONN_RESET.length, e, pid, tsMillis);
        return null;
      case 'm':
        return startsWith(b, s, e, MAX_ATTEMPTS) ? maxAttempts(b, s + MAX_ATTEMPTS.length, e, pid, tsMillis) : null;
      case 'D':
        if (startsWith(b, s, e, NO_IDENT)) return noIdentification(b, s + NO_IDENT.length, e, pid, tsMillis);
        if (startsWith(b, s, e, DISCONNECTING)) return disconnecting(b, s + DISCONNECTING.length, e, pid, tsMillis);
        if (startsWith(b, s, e, DISCONNECTED_FROM)) return closed(b, s + DISCONNECTED_FROM.length, e, pid, tsMillis);
        return null;
      case 'R':
        if (startsWith(b, s, e, RECEIVED_DISCONNECT)) return receivedDisconnect(b, s + RECEIVED_DISCONNECT.length, e, pid, tsMillis);
        return startsWith(b, s, e, ROOT_REFUSED) ? rootRefused(b, s + ROOT_REFUSED.length, e, pid, tsMillis) : null;
      case 'b':
        return startsWith(b, s, e, BANNER) ? ipFirst(AuthKind.BANNER_EXCHANGE, b, s + BANNER.length, e, pid, tsMillis) : null;
      case 'B':
        return startsWith(b, s, e, BAD_PROTOCOL) ? badProtocol(b, s + BAD_PROTOCOL.length, e, pid, tsMillis) : null;
      case 'U':
        if (startsWith(b, s, e, UNABLE)) return ipFirst(AuthKind.UNABLE_TO_NEGOTIATE, b, s + UNABLE.length, e, pid, tsMillis);
        if (startsWith(b, s, e, USER_PREFIX)) return notAllowed(b, s + USER_PREFIX.length, e, pid, tsMillis);
        return null;
      case 'r':
        return startsWith(b, s, e, REFUSED_CONNECT) ? refusedConnect(b, s + REFUSED_CONNECT.length, e, pid, tsMillis) : null;
      default:
        return null;
    }
  }

  /**
   * "Failed <method> for [invalid user ]<user> from <ip> port <n>[ ssh1| ssh2[: <extra>]][ [preauth]]".
   *
   * <p>The user name is attacker text and may itself contain " from <ip> port <n> ssh2...". Every
   * place where "from <ip> port <n>" is followed by what sshd writes after the port is a
   * candidate: nothing, " ssh1", " ssh2", " ssh1: ruser <name>" (rhosts), or " ssh2: " and an
   * extra part, which is valid only in the shapes sshd writes (the key's type and fingerprint, or
   * for hostbased those plus the client user and host). Very old sshd wrote no port at all; that
   * reading is taken only when no line-shaped one exists. A candidate followed by " ssh2: " and anything else is still
   * plausible, because the extra part is not under the server's control alone. The address is
   * taken only when every plausible candidate names the same one; a line whose user name
   * plants a different plausible address names nobody.
   */
  private SshdFailure failed(byte[] b, int s, int e, long pid, long ts) {
    int forAt = indexOf(b, s, Math.min(e, s + 48), FOR);
    if (forAt < 0) return null;
    AuthKind kind = methodKind(b, s, forAt);
    if (kind == null) return null;
    int end = stripPreauth(b, forAt, e);
    int keyExtra = keyExtraStart(b, forAt, end);
    boolean hostbased = kind == AuthKind.FAILED_OTHER && hostbasedExtra(b, forAt, end);
    int chosen = -1;
    String chosenIp = null;
    int chosenPort = -1;
    String otherIp = null;
    int noPortAt = -1;
    String noPortIp = null;
    for (int at = indexOf(b, forAt, end, FROM); at >= 0; at = indexOf(b, at + 1, end, FROM)) {
      int ipStart = at + FROM.length;
      int ipEnd = indexOf(b, ipStart, Math.min(end, ipStart + MAX_IP_TEXT + 1), (byte) ' ');
      if (ipEnd < 0 && end - ipStart <= MAX_IP_TEXT) {
        // Very old sshd wrote no port: "... from <ip>" ends the line.
        noPortIp = ip(b, ipStart, end);
        noPortAt = at;
        continue;
      }
      if (ipEnd < 0 || !startsWith(b, ipEnd, end, PORT)) continue;
      int ps = ipEnd + PORT.length;
      int pe = ps;
      while (pe < end && isDigit(b[pe]) && pe - ps < 6) pe++;
      int port = port(b, ps, pe);
      if (port < 0) continue;
      boolean valid = pe == end || (pe + SSH2.length == end && (startsWith(b, pe, end, SSH2) || startsWith(b, pe, end, SSH1)))
          || (startsWith(b, pe, end, SSH2_COLON_SPACE) && (pe == keyExtra || hostbased))
          || startsWith(b, pe, end, SSH1_RUSER);
      boolean plausible = valid || startsWith(b, pe, end, SSH2_COLON);
      if (!plausible) continue;
      String ip = ip(b, ipStart, ipEnd);
      if (ip == null) continue;
      if (valid) {
        if (chosenIp != null && !chosenIp.equals(ip)) otherIp = chosenIp;
        chosen = at;
        chosenIp = ip;
        chosenPort = port;
      } else if (otherIp == null) {
        otherIp = ip;
      }
    }
    if (chosenIp == null && otherIp == null && noPortIp != null) {
      chosen = noPortAt;
      chosenIp = noPortIp;
      chosenPort = 0;
    }
    if (chosenIp == null || (otherIp != null && !otherIp.equals(chosenIp))) return null;
    int us = forAt + FOR.length;
    boolean invalidUser = true;
    if (startsWith(b, us, chosen, INVALID_USER)) us += INVALID_USER.length;
    else if (startsWith(b, us, chosen, ILLEGAL_USER)) us += ILLEGAL_USER.length;
    else invalidUser = false;
    // A key offered for a user that does not exist is no user's mistake.
    if (kind == AuthKind.FAILED_PUBLICKEY && invalidUser) kind = AuthKind.FAILED_PUBLICKEY_INVALID_USER;
    return new SshdFailure(kind, chosenIp, text(b, us, chosen), chosenPort, pid, ts);
  }

  /** Where " ssh2: TYPE FINGERPRINT" (two space-free tokens ending the line) starts, or -1. */
  private static int keyExtraStart(byte[] b, int s, int end) {
    int s2 = lastIndexOf(b, s, end, (byte) ' ');
    if (s2 < 0 || s2 == end - 1) return -1;
    int s1 = lastIndexOf(b, s, s2, (byte) ' ');
    if (s1 < 0 || s1 == s2 - 1 || !endsWith(b, s, s1, SSH2_COLON)) return -1;
    return s1 - SSH2_COLON.length;
  }

  /** True when the line ends like hostbased's extra part: {@code , client host "<name>"}. */
  private static boolean hostbasedExtra(byte[] b, int s, int end) {
    if (end - s < 2 || b[end - 1] != '"') return false;
    int open = lastIndexOf(b, Math.max(s, end - 300), end - 1, (byte) '"');
    return open >= 0 && endsWith(b, s, open + 1, CLIENT_HOST);
  }

  /**
   * Reads "<user> from <ip> port <n>" from the right, ending at {@code end}. With
   * {@code invalidPrefix} a leading "invalid user " is removed from the user.
   */
  private SshdFailure userFromIpPort(AuthKind kind, byte[] b, int userStart, int end, boolean invalidPrefix, long pid, long ts) {
    int portStart = digitsBefore(b, userStart, end);
    if (portStart < 0 || !endsWith(b, userStart, portStart, PORT)) return null;
    int port = port(b, portStart, end);
    if (port < 0) return null;
    return userFromIp(kind, b, userStart, portStart - PORT.length, port, invalidPrefix, pid, ts);
  }

  /** Reads "<user> from <ip>" from the right, ending at {@code end}. */
  private SshdFailure userFromIp(AuthKind kind, byte[] b, int userStart, int end, int port, boolean invalidPrefix, long pid, long ts) {
    int ipStart = lastIndexOf(b, userStart, end, (byte) ' ') + 1;
    if (ipStart <= 0) return null;
    String ip = ip(b, ipStart, end);
    if (ip == null || !endsWith(b, userStart, ipStart, FROM)) return null;
    int userEnd = ipStart - FROM.length;
    if (userEnd < userStart) return null;
    int us = userStart;
    if (invalidPrefix && startsWith(b, us, userEnd, INVALID_USER)) us += INVALID_USER.length;
    return new SshdFailure(kind, ip, text(b, us, userEnd), port, pid, ts);
  }

  // "Invalid user <user> from <ip> port <n>" (older: without port)
  private SshdFailure invalidUser(byte[] b, int s, int e, long pid, long ts) {
    int end = stripPreauth(b, s, e);
    int portStart = digitsBefore(b, s, end);
    if (portStart >= 0 && endsWith(b, s, portStart, PORT)) {
      int port = port(b, portStart, end);
      if (port < 0) return null;
      return userFromIp(AuthKind.INVALID_USER, b, s, portStart - PORT.length, port, false, pid, ts);
    }
    return userFromIp(AuthKind.INVALID_USER, b, s, end, 0, false, pid, ts);
  }

  // "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=<ip>  user=<user>"
  private SshdFailure pam(byte[] b, int s, int e, long pid, long ts) {
    int p = s;
    while (p < e && p - s < 32 && ((b[p] >= 'a' && b[p] <= 'z') || isDigit(b[p]) || b[p] == '_')) p++;
    if (p == s || !startsWith(b, p, e, PAM_AUTH)) return null;
    return pamFields(b, p + PAM_AUTH.length, e, pid, ts);
  }

  /** The fields after "logname=": " uid=N euid=N tty=T ruser=R rhost=<ip>[  user=<user>]". */
  private SshdFailure pamFields(byte[] b, int p, int e, long pid, long ts) {
    p = skipToken(b, p, e);
    if (!startsWith(b, p, e, UID)) return null;
    p = skipDigits(b, p + UID.length, e);
    if (p < 0 || !startsWith(b, p, e, EUID)) return null;
    p = skipDigits(b, p + EUID.length, e);
    if (p < 0 || !startsWith(b, p, e, TTY)) return null;
    p = skipToken(b, p + TTY.length, e);
    if (!startsWith(b, p, e, RUSER)) return null;
    p = skipToken(b, p + RUSER.length, e);
    if (!startsWith(b, p, e, RHOST)) return null;
    int hostStart = p + RHOST.length;
    int hostEnd = skipToken(b, hostStart, e);
    String ip = ip(b, hostStart, hostEnd);
    if (ip == null) return null;
    p = hostEnd;
    while (p < e && b[p] == ' ') p++;
    String user = "";
    if (p < e) {
      if (!startsWith(b, p, e, USER_EQ)) return null;
      user = text(b, p + USER_EQ.length, e);
    }
    return new SshdFailure(AuthKind.PAM_FAILURE, ip, user, 0, pid, ts);
  }

  /**
   * sshd's own PAM messages (FreeBSD, macOS, keyboard-interactive through PAM):
   * "PAM: <pam_strerror text> for [illegal user ]<user> from <ip>[ via <host>]". The user is read
   * from the right, after removing the " via <host>" that sshd may add.
   */
  private SshdFailure pamError(byte[] b, int s, int e, long pid, long ts) {
    int forAt = indexOf(b, s, Math.min(e, s + 64), FOR);
    if (forAt < 0) return null;
    boolean known = false;
    for (byte[] m : PAM_ERRORS) known |= equalsAt(b, s, forAt, m);
    if (!known) return null;
    int end = stripPreauth(b, forAt, e);
    int last = lastIndexOf(b, forAt, end, (byte) ' ');
    if (last > 0 && endsWith(b, forAt, last + 1, VIA) && !endsWith(b, forAt, last + 1, FROM)) end = last + 1 - VIA.length;
    int us = forAt + FOR.length;
    if (startsWith(b, us, end, ILLEGAL_USER)) us += ILLEGAL_USER.length;
    else if (startsWith(b, us, end, INVALID_USER)) us += INVALID_USER.length;
    SshdFailure f = userFromIp(AuthKind.PAM_FAILURE, b, us, end, 0, false, pid, ts);
    return f;
  }

  /**
   * "Connection closed|reset by " / "Disconnected from " then
   * "(authenticating|invalid) user <user> <ip> port <n>[ [preauth]]" or "<ip>[ port <n>] [preauth]"
   * (closed before any user was named). After authentication ("user <user> ...") it is no failure.
   */
  private SshdFailure closed(byte[] b, int s, int e, long pid, long ts) {
    int us;
    if (startsWith(b, s, e, AUTHENTICATING_USER)) us = s + AUTHENTICATING_USER.length;
    else if (startsWith(b, s, e, INVALID_USER)) us = s + INVALID_USER.length;
    else if (endsWith(b, s, e, PREAUTH)) return ipOptionalPort(AuthKind.CLOSED_PREAUTH, "", b, s, e - PREAUTH.length, pid, ts);
    else return null;
    return userSpaceIpPort(AuthKind.CLOSED_PREAUTH, b, us, stripPreauth(b, s, e), pid, ts);
  }

  /**
   * "Received disconnect from <ip>[ port <n>]:<code>: <client text>[ [preauth]]". The address
   * comes first; the client's text after the code only selects the kind: code 3 ending in
   * "Auth fail" (a client library reporting failed authentication), code 11 before
   * authentication (the client gave up), code 14 (no authentication method in common).
   */
  private SshdFailure receivedDisconnect(byte[] b, int s, int e, long pid, long ts) {
    int ipEnd;
    int port = 0;
    int q;
    int sp = indexOf(b, s, Math.min(e, s + MAX_IP_TEXT + 1), (byte) ' ');
    if (sp > s && startsWith(b, sp, e, PORT) && b[sp - 1] != ':') {
      ipEnd = sp;
      int ps = sp + PORT.length;
      q = ps;
      while (q < e && isDigit(b[q]) && q - ps < 6) q++;
      port = port(b, ps, q);
      if (port < 0) return null;
    } else {
      // Old form without a port: IPv4 only, since an IPv6 address would run into the ':'.
      ipEnd = indexOf(b, s, Math.min(e, s + 16), (byte) ':');
      if (ipEnd < 0 || !StrictIp.isPlainDottedQuad(b, s, ipEnd)) return null;
      q = ipEnd;
    }
    String ip = ip(b, s, ipEnd);
    if (ip == null || q >= e || b[q] != ':') return null;
    q++;
    if (q < e && b[q] == ' ') q++;
    int cs = q;
    while (q < e && isDigit(b[q]) && q - cs < 3) q++;
    if (q == cs || q >= e || b[q] != ':') return null;
    int code = Integer.parseInt(new String(b, cs, q - cs, StandardCharsets.ISO_8859_1));
    int textStart = q + 1;
    boolean preauth = endsWith(b, textStart, e, PREAUTH);
    int end = preauth ? e - PREAUTH.length : e;
    while (textStart < end && b[textStart] == ' ') textStart++;
    if (code == 3 && endsWith(b, textStart, end, AUTH_FAIL)) return new SshdFailure(AuthKind.CLIENT_AUTH_FAIL, ip, "", port, pid, ts);
    if (code == 11 && preauth) return new SshdFailure(AuthKind.CLOSED_PREAUTH, ip, "", port, pid, ts);
    if (code == 14 && startsWith(b, textStart, end, NO_AUTH_METHODS)) return new SshdFailure(AuthKind.NO_AUTH_METHODS, ip, "", port, pid, ts);
    return null;
  }

  // "Disconnecting (authenticating|invalid) user <user> <ip> port <n>: Too many authentication failures [preauth]"
  private SshdFailure disconnecting(byte[] b, int s, int e, long pid, long ts) {
    int us;
    if (startsWith(b, s, e, AUTHENTICATING_USER)) us = s + AUTHENTICATING_USER.length;
    else if (startsWith(b, s, e, INVALID_USER)) us = s + INVALID_USER.length;
    else return null;
    int end = stripPreauth(b, s, e);
    if (endsWith(b, us, end, TOO_MANY)) return userSpaceIpPort(AuthKind.MAX_ATTEMPTS, b, us, end - TOO_MANY.length, pid, ts);
    return userChange(b, us, end, pid, ts);
  }

  /**
   * "<user> <ip> port <n>: Change of username or service not allowed: (<user>,<service>) ->
   * (<user>,<service>)". Attacker text stands on both sides of the address, so every place where
   * the fixed middle follows "<ip> port <n>" is read, and the line counts only when they all name
   * the same address.
   */
  private SshdFailure userChange(byte[] b, int us, int end, long pid, long ts) {
    if (end <= us || b[end - 1] != ')') return null;
    IpPort first = null;
    for (int at = indexOf(b, us, end, USER_CHANGE); at >= 0; at = indexOf(b, at + 1, end, USER_CHANGE)) {
      IpPort found = ipPortEndingAt(b, us, at);
      if (found == null) continue;
      if (first == null) first = found;
      else if (!first.ip().equals(found.ip())) return null;
    }
    return first == null ? null
        : new SshdFailure(AuthKind.USER_CHANGE, first.ip(), text(b, us, first.ipStart() - 1), first.port(), pid, ts);
  }

  /** Reads "<user> <ip> port <n>" from the right. */
  private SshdFailure userSpaceIpPort(AuthKind kind, byte[] b, int us, int end, long pid, long ts) {
    IpPort found = ipPortEndingAt(b, us, end);
    return found == null ? null : new SshdFailure(kind, found.ip(), text(b, us, found.ipStart() - 1), found.port(), pid, ts);
  }

  private record IpPort(int ipStart, String ip, int port) {}

  /** "<ip> port <n>" ending at {@code end}, after a space and not before {@code us}; a bounded backward read. */
  private IpPort ipPortEndingAt(byte[] b, int us, int end) {
    int portStart = digitsBefore(b, us, end);
    if (portStart < 0 || !endsWith(b, us, portStart, PORT)) return null;
    int port = port(b, portStart, end);
    int ipEnd = portStart - PORT.length;
    int ipStart = lastIndexOf(b, Math.max(us, ipEnd - MAX_IP_TEXT - 1), ipEnd, (byte) ' ') + 1;
    if (port < 0 || ipStart <= us) return null;
    String ip = ip(b, ipStart, ipEnd);
    return ip == null ? null : new IpPort(ipStart, ip, port);
  }

  // "error: maximum authentication attempts exceeded for [invalid user ]<user> from <ip> port <n> ssh2 [preauth]"
  private SshdFailure maxAttempts(byte[] b, int s, int e, long pid, long ts) {
    int end = stripPreauth(b, s, e);
    if (!endsWith(b, s, end, SSH2)) return null;
    return userFromIpPort(AuthKind.MAX_ATTEMPTS, b, s, end - SSH2.length, true, pid, ts);
  }

  // "Did not receive identification string from <ip>[ port <n>]"
  private SshdFailure noIdentification(byte[] b, int s, int e, long pid, long ts) {
    return ipOptionalPort(AuthKind.NO_IDENTIFICATION, "", b, s, stripPreauth(b, s, e), pid, ts);
  }

  // "ROOT LOGIN REFUSED FROM <ip>[ port <n>]"
  private SshdFailure rootRefused(byte[] b, int s, int e, long pid, long ts) {
    return ipOptionalPort(AuthKind.ROOT_LOGIN_REFUSED, "root", b, s, stripPreauth(b, s, e), pid, ts);
  }

  /** The whole rest is "<ip>" or "<ip> port <n>". */
  private SshdFailure ipOptionalPort(AuthKind kind, String user, byte[] b, int s, int end, long pid, long ts) {
    int port = 0;
    int ipEnd = end;
    int portStart = digitsBefore(b, s, end);
    if (portStart >= 0 && endsWith(b, s, portStart, PORT)) {
      port = port(b, portStart, end);
      if (port < 0) return null;
      ipEnd = portStart - PORT.length;
    }
    String ip = ip(b, s, ipEnd);
    return ip == null ? null : new SshdFailure(kind, ip, user, port, pid, ts);
  }

  // "<prefix><ip> port <n>: <anything>" - the address comes first, the rest is ignored.
  private SshdFailure ipFirst(AuthKind kind, byte[] b, int s, int e, long pid, long ts) {
    int ipEnd = indexOf(b, s, Math.min(e, s + MAX_IP_TEXT + 1), (byte) ' ');
    if (ipEnd < 0 || !startsWith(b, ipEnd, e, PORT)) return null;
    String ip = ip(b, s, ipEnd);
    int ps = ipEnd + PORT.length;
    int pe = ps;
    while (pe < e && isDigit(b[pe]) && pe - ps < 6) pe++;
    if (ip == null || pe == ps || pe + 1 >= e || b[pe] != ':' || b[pe + 1] != ' ') return null;
    int port = port(b, ps, pe);
    return port < 0 ? null : new SshdFailure(kind, ip, "", port, pid, ts);
  }

  // "Bad protocol version identification '<client text>' from <ip> port <n>"
  private SshdFailure badProtocol(byte[] b, int s, int e, long pid, long ts) {
    int end = stripPreauth(b, s, e);
    int portStart = digitsBefore(b, s, end);
    if (portStart < 0 || !endsWith(b, s, portStart, PORT)) return null;
    int port = port(b, portStart, end);
    int ipEnd = portStart - PORT.length;
    int ipStart = lastIndexOf(b, s, ipEnd, (byte) ' ') + 1;
    if (port < 0 || ipStart <= 0 || !endsWith(b, s, ipStart, FROM)) return null;
    String ip = ip(b, ipStart, ipEnd);
    return ip == null ? null : new SshdFailure(AuthKind.BANNER_EXCHANGE, ip, "", port, pid, ts);
  }

  // "User <user> from <ip> not allowed because <fixed reason>"
  private SshdFailure notAllowed(byte[] b, int s, int e, long pid, long ts) {
    for (byte[] reason : NOT_ALLOWED) {
      if (endsWith(b, s, e, reason)) return userFromIp(AuthKind.NOT_ALLOWED, b, s, e - reason.length, 0, false, pid, ts);
    }
    return null;
  }

  // "refused connect from <name> (<ip>)" (TCP wrappers): the address is the last token.
  private SshdFailure refusedConnect(byte[] b, int s, int e, long pid, long ts) {
    if (e - s < 4 || b[e - 1] != ')') return null;
    int open = lastIndexOf(b, Math.max(s, e - MAX_IP_TEXT - 3), e - 1, (byte) '(');
    if (open <= s + 1 || b[open - 1] != ' ') return null;
    String ip = ip(b, open + 1, e - 1);
    return ip == null ? null : new SshdFailure(AuthKind.REFUSED_CONNECT, ip, "", 0, pid, ts);
  }

  // ---- helpers (each a single bounded scan) ----

  private static boolean equalsAt(byte[] b, int s, int e, byte[] lit) { return e - s == lit.length && startsWith(b, s, e, lit); }

  private static int stripPreauth(byte[] b, int s, int e) { return endsWith(b, s, e, PREAUTH) ? e - PREAUTH.length : e; }

  /** The kind for sshd's method name in [s, e) (lower-case letters, digits, '-', '/', '@', '.'), or null. */
  private static AuthKind methodKind(byte[] b, int s, int e) {
    if (e <= s || e - s > 40) return null;
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (!((c >= 'a' && c <= 'z') || isDigit(c) || c == '-' || c == '/' || c == '@' || c == '.')) return null;
    }
    if (equalsAt(b, s, e, M_PASSWORD)) return AuthKind.FAILED_PASSWORD;
    if (equalsAt(b, s, e, M_PUBLICKEY) || equalsAt(b, s, e, M_RSA)) return AuthKind.FAILED_PUBLICKEY;
    if (equalsAt(b, s, e, M_NONE)) return AuthKind.FAILED_NONE;
    if (startsWith(b, s, e, M_KBD) && (e - s == M_KBD.length || b[s + M_KBD.length] == '/')) return AuthKind.FAILED_KEYBOARD_INTERACTIVE;
    return AuthKind.FAILED_OTHER;
  }

  /** Start of the run of 1-5 digits ending at {@code end}, or -1. */
  private static int digitsBefore(byte[] b, int s, int end) {
    int p = end;
    while (p > s && isDigit(b[p - 1]) && end - p < 6) p--;
    return p == end || end - p > 5 ? -1 : p;
  }

  private static int port(byte[] b, int s, int e) {
    if (e - s < 1 || e - s > 5) return -1;
    int v = 0;
    for (int i = s; i < e; i++) {
      if (!isDigit(b[i])) return -1;
      v = v * 10 + (b[i] - '0');
    }
    return v <= 65535 ? v : -1;
  }

  private static int skipToken(byte[] b, int p, int e) {
    while (p < e && b[p] != ' ') p++;
    return p;
  }

  private static int skipDigits(byte[] b, int p, int e) {
    int s = p;
    while (p < e && isDigit(b[p])) p++;
    return p == s ? -1 : p;
  }

  /** Canonical IP of bytes [s, e), or null: only hex digits, dots and colons get to StrictIp. */
  private String ip(byte[] b, int s, int e) {
    if (e - s < 2 || e - s > MAX_IP_TEXT) return null;
    // A plain dotted quad is its own canonical form (StrictIp's rule); the rest goes to StrictIp.
    if (StrictIp.isPlainDottedQuad(b, s, e)) return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    for (int i = s; i < e; i++) {
      byte c = b[i];
      boolean ok = isDigit(c) || c == '.' || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) return null;
    }
    return StrictIp.canonical(new String(b, s, e - s, StandardCharsets.ISO_8859_1)).orElse(null);
  }



  /** Attacker-chosen text: decoded as UTF-8 with invalid bytes replaced, never interpreted. */
  private static String text(byte[] b, int s, int e) {
    return e <= s ? "" : new String(b, s, e - s, StandardCharsets.UTF_8);
  }

  /** Compared from the end: the seconds differ first. */
  private boolean sameAsLast(byte[] b, int e, int len) {
    for (int i = len - 1, j = e - 1; i >= 0; i--, j--) if (b[j] != lastTs[i]) return false;
    return true;
  }

  private long timestamp(byte[] b, int s, int e) {
    int len = e - s;
    if (len == lastTsLen && sameAsLast(b, e, len)) return lastTsMillis;
    long t = computeTimestamp(b, s, e);
    // Reused only for the very same text; it could be stale only if that second recurred a year later.
    if (len <= lastTs.length) {
      System.arraycopy(b, s, lastTs, 0, len);
      lastTsLen = len;
      lastTsMillis = t;
    }
    return t;
  }

  private long computeTimestamp(byte[] b, int s, int e) {
    try {
      if (isMonth(b, s)) {
        int month = monthIndex(b, s) + 1;
        int clock = e - 8; // "hh:mm:ss" ends the timestamp in every classic form
        int day = b[s + 5] == ' ' ? b[s + 4] - '0'
            : (b[s + 4] == ' ' ? 0 : (b[s + 4] - '0') * 10) + (b[s + 5] - '0');
        int h = two(b, clock);
        int m = two(b, clock + 3);
        int sec = two(b, clock + 6);
        if (fixedYear > 0) return LocalDateTime.of(fixedYear, month, day, h, m, sec).atZone(zone).toInstant().toEpochMilli();
        long now = nowMillis.getAsLong();
        int year = java.time.Instant.ofEpochMilli(now).atZone(zone).getYear();
        long t = LocalDateTime.of(year, month, day, h, m, sec).atZone(zone).toInstant().toEpochMilli();
        if (t > now + 86_400_000L) t = LocalDateTime.of(year - 1, month, day, h, m, sec).atZone(zone).toInstant().toEpochMilli();
        return t;
      }
      String iso = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
      try {
        return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
      } catch (DateTimeParseException noOffset) {
        return LocalDateTime.parse(iso).atZone(zone).toInstant().toEpochMilli();
      }
    } catch (RuntimeException e2) {
      // A malformed date (Feb 30) leaves the event without its own time; the caller uses "now".
      return -1;
    }
  }

  /**
   * End of a classic syslog timestamp starting at {@code p} (the month already checked), which
   * must be followed by a space, or -1. Accepts the padded day ({@code "Dec  2"}, {@code "Nov 27"})
   * and the unpadded one ({@code "Dec 2"}).
   */
  private static int classicEnd(byte[] b, int p, int end) {
    int t; // start of "hh:mm:ss"
    if (b[p + 4] == ' ' && isDigit(b[p + 5]) && b[p + 6] == ' ') t = p + 7;
    else if (isDigit(b[p + 4]) && isDigit(b[p + 5]) && b[p + 6] == ' ') t = p + 7;
    else if (isDigit(b[p + 4]) && b[p + 4] != '0' && b[p + 5] == ' ') t = p + 6;
    else return -1;
    if (t + 9 > end) return -1;
    boolean clock = isDigit(b[t]) && isDigit(b[t + 1]) && b[t + 2] == ':' && isDigit(b[t + 3]) && isDigit(b[t + 4])
        && b[t + 5] == ':' && isDigit(b[t + 6]) && isDigit(b[t + 7]);
    return clock && b[t + 8] == ' ' ? t + 8 : -1;
  }

  /** "2026-11-27T16:29:43.123456+00:00": digits and the separators of ISO 8601 only. */
  private static boolean isoShape(byte[] b, int s, int e) {
    if (e - s < 19 || b[s + 10] != 'T') return false;
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (!(isDigit(c) || c == '-' || c == ':' || c == '.' || c == '+' || c == 'T' || c == 'Z')) return false;
    }
    return true;
  }

  private static int two(byte[] b, int p) { return (b[p] - '0') * 10 + (b[p + 1] - '0'); }

  private static boolean isMonth(byte[] b, int p) { return monthIndex(b, p) >= 0; }

  private static int monthIndex(byte[] b, int p) {
    return switch ((b[p] & 0xff) << 16 | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff)) {
      case 'J' << 16 | 'a' << 8 | 'n' -> 0;
      case 'F' << 16 | 'e' << 8 | 'b' -> 1;
      case 'M' << 16 | 'a' << 8 | 'r' -> 2;
      case 'A' << 16 | 'p' << 8 | 'r' -> 3;
      case 'M' << 16 | 'a' << 8 | 'y' -> 4;
      case 'J' << 16 | 'u' << 8 | 'n' -> 5;
      case 'J' << 16 | 'u' << 8 | 'l' -> 6;
      case 'A' << 16 | 'u' << 8 | 'g' -> 7;
      case 'S' << 16 | 'e' << 8 | 'p' -> 8;
      case 'O' << 16 | 'c' << 8 | 't' -> 9;
      case 'N' << 16 | 'o' << 8 | 'v' -> 10;
      case 'D' << 16 | 'e' << 8 | 'c' -> 11;
      default -> -1;
    };
  }



  private static boolean isDigit(byte c) { return c >= '0' && c <= '9'; }

  private static boolean startsWith(byte[] b, int s, int e, byte[] lit) {
    if (e - s < lit.length) return false;
    for (int i = 0; i < lit.length; i++) if (b[s + i] != lit[i]) return false;
    return true;
  }

  private static boolean endsWith(byte[] b, int s, int e, byte[] lit) {
    if (e - s < lit.length) return false;
    int o = e - lit.length;
    for (int i = 0; i < lit.length; i++) if (b[o + i] != lit[i]) return false;
    return true;
  }

  private static int indexOf(byte[] b, int s, int e, byte c) {
    for (int i = s; i < e; i++) if (b[i] == c) return i;
    return -1;
  }

  /** First occurrence of a short literal in [s, e); the window callers pass is bounded. */
  /** {@code lit} is one of the literals above, all at least two bytes long. */
  private static int indexOf(byte[] b, int s, int e, byte[] lit) {
    byte first = lit[0];
    byte second = lit[1];
    // The literals searched for start with a space: the second byte spares a call at most spaces.
    for (int i = s; i + lit.length <= e; i++) if (b[i] == first && b[i + 1] == second && startsWith(b, i, e, lit)) return i;
    return -1;
  }

  private static int lastIndexOf(byte[] b, int s, int e, byte c) {
    for (int i = e - 1; i >= s; i--) if (b[i] == c) return i;
    return -1;
  }

  private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
