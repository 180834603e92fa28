package io.panicmode.action.firewall;

import io.panicmode.action.exec.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

  private void runAll(String script, List<String> ips) throws FirewallException {
    if (ips.isEmpty()) return;
    Path p = Path.of(script);
    if (!p.isAbsolute()) throw new FirewallException("script path is not absolute: " + script, false);
    if (!Files.isExecutable(p)) throw new FirewallException("script missing or not executable: " + script, false);
    Function<String, String> one = ip -> {
      ProcessRunner.Result r = ProcessRunner.run(List.of(script, ip), Map.of("PATH", ProcessRunner.SAFE_PATH), null,
          timeout, OUTPUT_CAP);
      if (r.ok()) return null;
      LOG.warn("{} {} failed: {}; output: {}", script, ip, r.describe(), r.output().strip());
      return r.describe();
    };
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    String lastError = null;
    if (ips.size() == 1) {
      lastError = one.apply(ips.get(0));
      if (lastError != null) failed.add(ips.get(0));
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, ips.size()), r -> {
        Thread t = new Thread(r, "panicmode-firewall-script");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<String>> results = new ArrayList<>();
        for (String ip : ips) results.add(pool.submit(() -> one.apply(ip)));
        for (int i = 0; i < ips.size(); i++) {
          String err;
          try {
            err = results.get(i).get();
          } catch (java.util.concurrent.ExecutionException e) {
            err = String.valueOf(e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err = "interrupted";
          }
          if (err != null) {
            failed.add(ips.get(i));
            lastError = err;
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
    if (!failed.isEmpty()) {
      throw new FirewallException(script + " failed for " + failed.size() + " of " + ips.size() + " IPs (" + lastError
          + ")", true, failed);
    }
  }
}
