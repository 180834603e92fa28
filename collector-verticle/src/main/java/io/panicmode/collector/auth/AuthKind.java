package io.panicmode.collector.auth;

/**
 * The OpenSSH failure forms recognised, with the {@code kind} text carried by AuthEvent and the
 * part each plays in one connection ({@link Role}), which {@link AttemptAccounting} uses to count
 * one failed attempt as one failure.
 */
public enum AuthKind {
  /** {@code Failed password for [invalid user ]U from IP port N ssh2}. */
  FAILED_PASSWORD("failed_password", Role.ATTEMPT),
  /** {@code Failed publickey for ... ssh2: TYPE FINGERPRINT}: a client offering keys; counted in aggressive mode only. */
  FAILED_PUBLICKEY("failed_publickey", Role.KEY_OFFER),
  /** {@code Failed publickey for invalid user ...}: a key offered for a user that does not exist. */
  FAILED_PUBLICKEY_INVALID_USER("failed_publickey_invalid_user", Role.CONNECTION_END),
  /** {@code Failed keyboard-interactive[/pam] for ...}. */
  FAILED_KEYBOARD_INTERACTIVE("failed_keyboard_interactive", Role.ATTEMPT),
  /** {@code Failed none for ...}: sshd logs it for invalid users after their Invalid user line. */
  FAILED_NONE("failed_none", Role.CONNECTION_END),
  /** {@code Failed hostbased|gssapi-with-mic|... for ...}. */
  FAILED_OTHER("failed_other", Role.ATTEMPT),
  /** {@code Invalid user U from IP port N} and the older {@code Illegal user U from IP}. */
  INVALID_USER("invalid_user", Role.CONNECTION_START),
  /**
   * {@code pam_*(sshd:auth): authentication failure; ... rhost=IP [user=U]}, the old
   * {@code sshd(pam_unix)[pid]: authentication failure; ...} and sshd's own
   * {@code PAM: Authentication failure for U from IP}.
   */
  PAM_FAILURE("pam_auth_failure", Role.PAM),
  /**
   * {@code Connection closed|reset by authenticating|invalid user U IP port N [preauth]},
   * {@code Disconnected from ...}, {@code Received disconnect from IP port N:11: ... [preauth]}
   * and {@code Connection closed by IP port N [preauth]}: the client left. Aggressive mode only.
   */
  CLOSED_PREAUTH("connection_closed_preauth", Role.CLOSE),
  /** {@code maximum authentication attempts exceeded for ...} and {@code Disconnecting ...: Too many authentication failures}. */
  MAX_ATTEMPTS("max_auth_attempts", Role.CONNECTION_END),
  /** {@code Received disconnect from IP port N:3: ...: Auth fail [preauth]}: the client library reports its failure. */
  CLIENT_AUTH_FAIL("client_auth_fail", Role.CONNECTION_END),
  /** {@code Disconnecting invalid user U IP port N: Change of username or service not allowed: ...}. */
  USER_CHANGE("user_change", Role.CONNECTION_END),
  /** {@code refused connect from NAME (IP)} (TCP wrappers). */
  REFUSED_CONNECT("refused_connect", Role.ALONE),
  /** {@code Did not receive identification string from IP [port N]}. Aggressive mode only. */
  NO_IDENTIFICATION("no_identification", Role.NOISE),
  /** {@code banner exchange: Connection from IP port N: ...} and {@code Bad protocol version identification ... from IP port N}. Aggressive mode only. */
  BANNER_EXCHANGE("banner_exchange", Role.NOISE),
  /** {@code Unable to negotiate with IP port N: ...}. Aggressive mode only. */
  UNABLE_TO_NEGOTIATE("unable_to_negotiate", Role.NOISE),
  /** {@code Received disconnect from IP port N:14: No supported authentication methods available}. Aggressive mode only. */
  NO_AUTH_METHODS("no_auth_methods", Role.NOISE),
  /** {@code ROOT LOGIN REFUSED FROM IP [port N]}. */
  ROOT_LOGIN_REFUSED("root_login_refused", Role.CONNECTION_START),
  /** {@code User U from IP not allowed because (not) listed in (Allow|Deny)(Users|Groups)} and the group forms. */
  NOT_ALLOWED("not_allowed", Role.CONNECTION_START);

  /** What a line of this kind is within one sshd connection. */
  public enum Role {
    /** A password / keyboard-interactive / hostbased attempt: one failure, unless its PAM line already counted. */
    ATTEMPT,
    /** PAM's line of an attempt, written before sshd's Failed line: counts at once, the Failed line then does not. */
    PAM,
    /** The user is refused before any attempt (invalid, not allowed): counts; the connection's next attempt is the same one. */
    CONNECTION_START,
    /** Written when a connection gives up or is cut: counts only if nothing in that connection counted yet. */
    CONNECTION_END,
    /** A key offered and refused: aggressive mode, as CONNECTION_END. */
    KEY_OFFER,
    /** The client hung up before authenticating: aggressive mode, as CONNECTION_END. */
    CLOSE,
    /** Pre-authentication noise (scanners, broken clients): aggressive mode, each line counts. */
    NOISE,
    /** A refusal that stands alone: always counts. */
    ALONE
  }

  private final String wire;
  private final Role role;

  AuthKind(String wire, Role role) {
    this.wire = wire;
    this.role = role;
  }

  public String wire() { return wire; }

  public Role role() { return role; }
}
