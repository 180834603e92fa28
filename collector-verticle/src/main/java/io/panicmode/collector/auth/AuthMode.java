package io.panicmode.collector.auth;

import java.util.Locale;

/**
 * Which sshd lines count ({@code collector.auth_mode}). NORMAL counts failed authentication:
 * wrong passwords and keys typed through PAM, unknown or refused users, connections that hit
 * the attempt limit. AGGRESSIVE also counts what happens before authentication (no
 * identification string, banner exchange errors, no common algorithm or method, a client
 * hanging up before any attempt) and refused public keys.
 */
public enum AuthMode {
  NORMAL,
  AGGRESSIVE;

  /** The mode named by the config value, or an exception naming the accepted values. */
  public static AuthMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("must be normal or aggressive, got '" + value + "'");
    }
  }

  /** True when lines of this role are counted at all in this mode. */
  public boolean counts(AuthKind.Role role) {
    return this == AGGRESSIVE || (role != AuthKind.Role.KEY_OFFER && role != AuthKind.Role.CLOSE && role != AuthKind.Role.NOISE);
  }
}
