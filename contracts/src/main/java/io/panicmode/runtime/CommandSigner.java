package io.panicmode.runtime;

import io.panicmode.contracts.ActionCommand;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies {@link ActionCommand}s with HMAC-SHA256 over
 * {@link ActionCommand#signedPayload()}. The key is held only by a host's detector, its action
 * verticle and the operator path (the api), so a node that merely joined the cluster cannot forge
 * a command. Replay is stopped by the action verticle (command id seen, issuedAt freshness).
 */
public final class CommandSigner {
  private final SecretKeySpec key;
  /** Mac.getInstance is slow and a Mac is not thread-safe: one initialised Mac per thread. */
  private final ThreadLocal<Mac> macs;

  public CommandSigner(byte[] key) {
    if (key == null || key.length < 16) throw new IllegalArgumentException("command key must be at least 16 bytes");
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  public ActionCommand sign(ActionCommand c) {
    return c.withSignature(mac(c.signedPayload()));
  }

  /** True when the signature is present and correct (constant-time comparison). */
  public boolean verify(ActionCommand c) {
    if (c.signature().isEmpty()) return false;
    byte[] expected = mac(c.signedPayload()).getBytes(StandardCharsets.US_ASCII);
    byte[] given = c.signature().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  private String mac(String payload) {
    return HexFormat.of().formatHex(macs.get().doFinal(payload.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
