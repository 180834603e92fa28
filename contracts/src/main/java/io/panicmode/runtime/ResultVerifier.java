package io.panicmode.runtime;

import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.HostId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that an {@link ActionResult} was signed by the action role of the host the command went
 * to, and that it answers that very command. Requesters treat a result that fails here as a failed
 * command, whatever status it claims.
 */
public final class ResultVerifier {
  private static final String SUFFIX = ".result.pub";

  private final Map<String, PublicKey> keys;

  public ResultVerifier(Map<String, PublicKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  /** Loads every {@code HOST.result.pub} in {@code dir}; {@code setting} names the config key in errors. */
  public static ResultVerifier fromDirectory(Path dir, String setting) throws IOException {
    if (!Files.isDirectory(dir)) throw new IOException(setting + ": " + dir + " is not a directory");
    Map<String, PublicKey> keys = new HashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        String host = name.substring(0, name.length() - SUFFIX.length());
        if (!HostId.isValid(host)) throw new IllegalArgumentException(setting + ": " + f + ": \"" + host + "\" is not a host id");
        try {
          keys.put(host, ResultSigner.parsePublic(Files.readString(f, StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
          throw new IllegalArgumentException(setting + ": " + f + " is not a base64 Ed25519 public key (" + e.getMessage() + ")");
        }
      }
    }
    return new ResultVerifier(keys);
  }

  /** Why {@code r} cannot be trusted as the answer to {@code cmd}, as a metrics label and a message; empty when it can. */
  public Optional<Problem> check(ActionCommand cmd, ActionResult r) {
    PublicKey key = keys.get(cmd.host());
    if (key == null) return Optional.of(new Problem("no_key", "no result key for host " + cmd.host()));
    if (r.signature().isEmpty()) return Optional.of(new Problem("unsigned", "unsigned result from host " + cmd.host()));
    if (!cmd.id().equals(r.commandId()) || !cmd.host().equals(r.host())) {
      return Optional.of(new Problem("mismatch", "result does not answer command " + cmd.id() + " of host " + cmd.host()));
    }
    try {
      Signature s = Signature.getInstance(ResultSigner.ALGORITHM);
      s.initVerify(key);
      s.update(r.signedPayload().getBytes(StandardCharsets.UTF_8));
      if (s.verify(Base64.getDecoder().decode(r.signature()))) return Optional.empty();
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // A malformed signature is a bad signature.
    }
    return Optional.of(new Problem("bad_signature", "result from host " + cmd.host() + " has a bad signature"));
  }

  /**
   * {@code r} when it passes {@link #check}; otherwise a FAILED, non-retryable result in its place
   * (counted in {@code panicmode_action_results_rejected_total} by requester and reason).
   */
  public ActionResult vet(ActionCommand cmd, ActionResult r, MetricsRegistry metrics, String requester) {
    Optional<Problem> p = check(cmd, r);
    if (p.isEmpty()) return r;
    metrics.counter("panicmode_action_results_rejected_total", "Action results that failed verification, counted as failed",
        "requester", requester, "reason", p.get().label()).increment();
    return new ActionResult(cmd.id(), cmd.host(), cmd.op(), ActionResult.Status.FAILED,
        "unverified result (" + p.get().reason() + "); claimed " + r.status().wire(), false, java.util.List.of(), r.finishedAt());
  }

  /** A verification failure: {@code label} for metrics, {@code reason} for people. */
  public record Problem(String label, String reason) {}
}
