package io.panicmode.action.exec;

import io.panicmode.action.Outcome;
import io.panicmode.config.HookConfig;
import io.panicmode.contracts.Incident;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run_script action: runs the hook named by its key under {@code actions:} as a single
 * program path (no arguments, no shell), with a cleared environment holding only PATH and the
 * PANIC_* variables of the Rust version (each text value capped at 8192 bytes, then
 * {@code ...[truncated]}), the hook's timeout and captured output capped. A non-zero exit is a
 * failure. Blocking.
 */
public final class HookRunner {
  private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);
  static final int VALUE_CAP = 8192;
  private static final int OUTPUT_CAP = 64 * 1024;

  public Outcome run(String key, HookConfig hook, Incident incident) {
    Path p = Path.of(hook.action());
    if (!p.isAbsolute()) return Outcome.failed("hook " + key + ": script path must be absolute: " + hook.action(), false);
    if (!Files.isExecutable(p)) return Outcome.failed("hook " + key + ": not executable: " + hook.action(), false);
    ProcessRunner.Result r = ProcessRunner.run(List.of(p.toString()), env(incident), null, hook.timeout(), OUTPUT_CAP);
    String out = r.output().strip();
    if (!out.isEmpty()) LOG.info("hook {} output{}: {}", key, r.truncated() ? " (truncated)" : "", out);
    if (!r.ok()) return Outcome.failed("hook " + key + ": " + r.describe(), !r.timedOut());
    return Outcome.done(List.of(key), "");
  }

  static Map<String, String> env(Incident i) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", ProcessRunner.SAFE_PATH);
    env.put("PANIC_INCIDENT_NAME", i == null ? "" : cap(i.rule()));
    env.put("PANIC_SEVERITY", i == null ? "" : i.severity().display());
    env.put("PANIC_DESCRIPTION", i == null ? "" : cap(i.description()));
    env.put("PANIC_DETAILS", i == null ? "" : cap(i.details()));
    env.put("PANIC_THRESHOLD", i == null ? "" : Double.toString(i.threshold()));
    env.put("PANIC_CURRENT_VALUE", i == null ? "" : Double.toString(i.value()));
    return env;
  }

  /** At most VALUE_CAP bytes of UTF-8 (never cutting a character), NUL removed (an environment cannot hold it). */
  static String cap(String s) {
    String clean = s.replace("\0", "");
    byte[] b = clean.getBytes(StandardCharsets.UTF_8);
    if (b.length <= VALUE_CAP) return clean;
    int end = VALUE_CAP;
    while (end > 0 && (b[end] & 0xC0) == 0x80) end--;
    return new String(b, 0, end, StandardCharsets.UTF_8) + "...[truncated]";
  }
}
