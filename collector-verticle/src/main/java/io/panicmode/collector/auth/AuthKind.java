package io.panicmode.collector.auth;

/** The OpenSSH failure forms recognised, with the {@code kind} text carried by AuthEvent. */
public enum AuthKind {
  /** {@code Failed password for [invalid user ]U from IP port N ssh2}. */
  FAILED_PASSWORD("failed_password"),
  /** {@code Failed publickey for ... ssh2: TYPE FINGERPRINT}. */
  FAILED_PUBLICKEY("failed_publickey"),
  /** {@code Failed keyboard-interactive[/pam] for ...}. */
  FAILED_KEYBOARD_INTERACTIVE("failed_keyboard_interactive"),
  /** {@code Failed none for ...}. */
  FAILED_NONE("failed_none"),
  /** {@code Failed hostbased|gssapi-with-mic for ...}. */
  FAILED_OTHER("failed_other"),
  /** {@code Invalid user U from IP port N}. */
  INVALID_USER("invalid_user"),
  /** {@code pam_*(sshd:auth): authentication failure; ... rhost=IP [user=U]}. */
  PAM_FAILURE("pam_auth_failure"),
  /** {@code Connection closed|reset by authenticating|invalid user U IP port N [preauth]}. */
  CLOSED_PREAUTH("connection_closed_preauth"),
  /** {@code error: maximum authentication attempts exceeded for ...} and {@code Disconnecting ...: Too many authentication failures}. */
  MAX_ATTEMPTS("max_auth_attempts"),
  /** {@code Did not receive identification string from IP [port N]}. */
  NO_IDENTIFICATION("no_identification"),
  /** {@code banner exchange: Connection from IP port N: ...} and {@code Bad protocol version identification ... from IP port N}. */
  BANNER_EXCHANGE("banner_exchange"),
  /** {@code Unable to negotiate with IP port N: ...}. */
  UNABLE_TO_NEGOTIATE("unable_to_negotiate"),
  /** {@code ROOT LOGIN REFUSED FROM IP [port N]}. */
  ROOT_LOGIN_REFUSED("root_login_refused"),
  /** {@code User U from IP not allowed because (not) listed in (Allow|Deny)(Users|Groups)} and the group forms. */
  NOT_ALLOWED("not_allowed");

  private final String wire;

  AuthKind(String wire) { this.wire = wire; }

  public String wire() { return wire; }
}
