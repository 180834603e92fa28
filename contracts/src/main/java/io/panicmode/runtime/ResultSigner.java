package io.panicmode.runtime;

import io.panicmode.contracts.ActionResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Signs {@link ActionResult}s with the action role's Ed25519 private key. Asymmetric on purpose:
 * the requesters (the unprivileged detector, the central api) hold only the public key, so none of
 * them can forge a result, unlike with an HMAC key they would have to share.
 * Key files are one line of base64: PKCS#8 for the private key, X.509 for the public key.
 */
public final class ResultSigner {
  static final String ALGORITHM = "Ed25519";

  private final PrivateKey key;
  /** A Signature is not thread-safe; one per thread. */
  private final ThreadLocal<Signature> signatures;

  public ResultSigner(PrivateKey key) {
    this.key = key;
    this.signatures = ThreadLocal.withInitial(() -> {
      try {
        return Signature.getInstance(ALGORITHM);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(ALGORITHM + " unavailable", e);
      }
    });
  }

  /** Reads a private key file written by {@link #privateKeyText}; {@code setting} names the config key in errors. */
  public static ResultSigner fromFile(Path file, String setting) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    try {
      byte[] der = Base64.getDecoder().decode(text);
      return new ResultSigner(KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(setting + ": " + file + " is not a base64 " + ALGORITHM + " private key ("
          + e.getMessage() + ")");
    }
  }

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " unavailable", e);
    }
  }

  public static String privateKeyText(PrivateKey k) {
    return Base64.getEncoder().encodeToString(k.getEncoded());
  }

  public static String publicKeyText(PublicKey k) {
    return Base64.getEncoder().encodeToString(k.getEncoded());
  }

  static PublicKey parsePublic(String text) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text.strip())));
  }

  public ActionResult sign(ActionResult r) {
    try {
      Signature s = signatures.get();
      s.initSign(key);
      s.update(r.signedPayload().getBytes(StandardCharsets.UTF_8));
      return r.withSignature(Base64.getEncoder().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing an action result failed", e);
    }
  }
}
