package io.panicmode.action.firewall;

import io.panicmode.action.exec.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code firewall.backend: script}: runs {@code block_script <ip>}, {@code unblock_script <ip>}
 * and {@code rate_limit_script <ip>} once per IP, the canonical IP as the single argument, no
 * shell, a cleared environment with only a fixed PATH, and a timeout. Several IPs run with
 * bounded parallelism, so restoring thousands of bans does not take one script run after another.
 */
public final class ScriptFirewall implements Firewall {
  private static final Logger LOG = LoggerFactory.getLogger(ScriptFirewall.class);
  private static final int OUTPUT_CAP = 4096;
  /** Block scripts started at once on the event loop; each start is a vfork and an exec, well under a millisecond. */
  static final int STARTED_AT_ONCE = 4;

  private final String blockScript;
  private final String unblockScript;
  private final String rateLimitScript;
  private final Duration timeout;
  private final int parallelism;

  /** @param rateLimitScript null when rate limiting is not configured for this backend */
  public ScriptFirewall(String blockScript, String unblockScript, String rateLimitScript, Duration timeout, int parallelism) {
    this.blockScript = blockScript;
    this.unblockScript = unblockScript;
    this.rateLimitScript = rateLimitScript;
    this.timeout = timeout;
    this.parallelism = Math.max(1, parallelism);
  }

  @Override
  public void init() {
    for (String s : new String[] {blockScript, unblockScript, rateLimitScript}) {
      if (s != null && !Files.isExecutable(Path.of(s))) LOG.warn("firewall script {} is missing or not executable", s);
    }
  }

  @Override
  public void block(List<Ban> bans, long nowMillis) throws FirewallException {
    runAll(blockScript, bans.stream().map(Ban::ip).toList());
  }

  @Override
  public void unblock(List<String> ips) throws FirewallException {
    runAll(unblockScript, ips);
  }

  @Override
  public void rateLimit(List<Ban> ips, long nowMillis) throws FirewallException {
    if (rateLimitScript == null || rateLimitScript.isBlank()) {
      throw new FirewallException("no firewall.rate_limit_script configured for the script backend", false);
    }
    runAll(rateLimitScript, ips.stream().map(Ban::ip).toList());
  }

  @Override public String name() { return "script"; }

  /**
   * Starts block_script for each IP at once (the script gets nothing but the IP, so the ban needs
   * no ledger lookup first), for batches of up to {@value #STARTED_AT_ONCE} IPs; larger ones go
   * through {@link #block} with its bounded parallelism.
   */
  @Override
  public Started startBlock(List<String> ips) {
    if (ips.isEmpty() || ips.size() > STARTED_AT_ONCE) return null;
    Path p = Path.of(blockScript);
    if (!p.isAbsolute() || !Files.isExecutable(p)) return null; // block() says why
    List<ProcessRunner.Running> running = new ArrayList<>();
    for (String ip : ips) {
      running.add(ProcessRunner.start(List.of(blockScript, ip), Map.of("PATH", ProcessRunner.SAFE_PATH), null, timeout,
          OUTPUT_CAP));
    }
    return () -> {
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < ips.size(); i++) errors.add(outcome(blockScript, ips.get(i), running.get(i).await()));
      throwIfFailed(blockScript, ips, errors);
    };
  }

  private void runAll(String script, List<String> ips) throws FirewallException {
    if (ips.isEmpty()) return;
    Path p = Path.of(script);
    if (!p.isAbsolute()) throw new FirewallException("script path is not absolute: " + script, false);
    if (!Files.isExecutable(p)) throw new FirewallException("script missing or not executable: " + script, false);
    Function<String, String> one = ip -> outcome(script, ip, ProcessRunner.run(List.of(script, ip),
        Map.of("PATH", ProcessRunner.SAFE_PATH), null, timeout, OUTPUT_CAP));
    List<String> errors = new ArrayList<>();
    if (ips.size() == 1) {
      errors.add(one.apply(ips.get(0)));
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, ips.size()), r -> {
        Thread t = new Thread(r, "panicmode-firewall-script");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<String>> results = new ArrayList<>();
        for (String ip : ips) results.add(pool.submit(() -> one.apply(ip)));
        for (Future<String> result : results) {
          String err;
          try {
            err = result.get();
          } catch (java.util.concurrent.ExecutionException e) {
            err = String.valueOf(e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err = "interrupted";
          }
          errors.add(err);
        }
      } finally {
        pool.shutdownNow();
      }
    }
    throwIfFailed(script, ips, errors);
  }

  /** Null when the run succeeded, else why not (logged with the script's output). */
  private static String outcome(String script, String ip, ProcessRunner.Result r) {
    if (r.ok()) return null;
    LOG.warn("{} {} failed: {}; output: {}", script, ip, r.describe(), r.output().strip());
    return r.describe();
  }

  /** {@code errors} holds one entry per IP, null for a success. */
  private static void throwIfFailed(String script, List<String> ips, List<String> errors) throws FirewallException {
    List<String> failed = new ArrayList<>();
    String lastError = null;
    for (int i = 0; i < ips.size(); i++) {
      if (errors.get(i) == null) continue;
      failed.add(ips.get(i));
      lastError = errors.get(i);
    }
    if (!failed.isEmpty()) {
      throw new FirewallException(script + " failed for " + failed.size() + " of " + ips.size() + " IPs (" + lastError
          + ")", true, failed);
    }
  }
}
