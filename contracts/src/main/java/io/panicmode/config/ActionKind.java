package io.panicmode.config;

import io.panicmode.contracts.Severity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The action table: every action a rule may list or a command may carry, with everything the
 * stages need to know about it. The config validator, the detector's planner, the action role's
 * gate and breakers, incident severity and the dashboard (served as {@code GET /api/v1/actions})
 * all read this one table, so an action is described once. Adding an action: a row here, one
 * line in {@code ActionVerticle.registerActions}, and the class that does it.
 */
public enum ActionKind {
  //             wire name              planner               subjects           argument      severity          operator freezes timeout
  ALERT_CRITICAL("alert_critical",      Plan.ALERT_ONLY,      Subjects.NONE,      Arg.NONE,     Severity.CRITICAL, false, false, Timeout.NONE),
  ALERT_WARNING("alert_warning",        Plan.ALERT_ONLY,      Subjects.NONE,      Arg.NONE,     Severity.WARNING,  false, false, Timeout.NONE),
  ALERT_INFO("alert_info",              Plan.ALERT_ONLY,      Subjects.NONE,      Arg.NONE,     Severity.INFO,     false, false, Timeout.NONE),
  BLOCK_IP("block_ip",                  Plan.COMMAND,         Subjects.IPS,       Arg.NONE,     Severity.CRITICAL, true,  false, Timeout.BREAKER),
  UNBLOCK_IP("unblock_ip",              Plan.OPERATOR_ONLY,   Subjects.IPS,       Arg.NONE,     Severity.INFO,     true,  false, Timeout.BREAKER),
  RATE_LIMIT("rate_limit",              Plan.COMMAND,         Subjects.IPS,       Arg.NONE,     Severity.WARNING,  false, false, Timeout.BREAKER),
  FREEZE_TOP_PROCESS("freeze_top_process", Plan.COMMAND,      Subjects.PROCESSES, Arg.NONE,     Severity.CRITICAL, false, true,  Timeout.BREAKER),
  MASS_FREEZE("mass_freeze",            Plan.COMMAND,         Subjects.NONE,      Arg.NONE,     Severity.INFO,     false, true,  Timeout.BREAKER),
  MASS_FREEZE_TOP("mass_freeze_top",    Plan.COMMAND,         Subjects.NONE,      Arg.NONE,     Severity.INFO,     false, true,  Timeout.BREAKER),
  MASS_FREEZE_CLUSTER("mass_freeze_cluster", Plan.COMMAND,    Subjects.NONE,      Arg.REQUIRED, Severity.INFO,     false, true,  Timeout.BREAKER),
  KILL_PROCESS("kill_process",          Plan.COMMAND,         Subjects.PROCESSES, Arg.NONE,     Severity.CRITICAL, false, false, Timeout.BREAKER),
  THAW("thaw",                          Plan.OPERATOR_ONLY,   Subjects.PROCESSES, Arg.NONE,     Severity.INFO,     true,  false, Timeout.BREAKER),
  SNAPSHOT("snapshot",                  Plan.COMMAND,         Subjects.NONE,      Arg.NONE,     Severity.INFO,     false, false, Timeout.SNAPSHOT),
  RUN_SCRIPT("run_script",              Plan.COMMAND,         Subjects.NONE,      Arg.HOOK,     Severity.INFO,     false, false, Timeout.HOOK);

  /** What the detector's planner does with the action when a rule fires. */
  public enum Plan {
    /** Only decides the severity and that people are alerted; no command. */
    ALERT_ONLY,
    /** One command to this host's action role. */
    COMMAND,
    /** Not for rules: sent by an operator (api, ctl) only. */
    OPERATOR_ONLY
  }

  /** What a command of this action carries. IP actions need at least one IP; only they take IPs. */
  public enum Subjects { NONE, IPS, PROCESSES }

  /** The argument after a colon ({@code mass_freeze_cluster:<name>}) or in a command's target. */
  public enum Arg {
    NONE,
    /** A cluster name of mass_freeze.yaml, required. */
    REQUIRED,
    /** A hook key under {@code actions:}, optional (see {@link #hookFor}). */
    HOOK
  }

  /** How long one run may take before its breaker counts a timeout. */
  public enum Timeout {
    NONE,
    /** {@code circuit_breakers.timeout}. */
    BREAKER,
    /** The breaker timeout, at least 30 s: a snapshot reads every process. */
    SNAPSHOT,
    /** The hook's own timeout plus 1 s (its process tree is killed first), at least the breaker timeout. */
    HOOK
  }

  /** Cluster names and hook keys: plain identifiers, never passed to a shell. */
  private static final Pattern ARG_FORM = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Duration SNAPSHOT_FLOOR = Duration.ofSeconds(30);

  private final String wire;
  private final Plan plan;
  private final Subjects subjects;
  private final Arg arg;
  private final Severity severity;
  private final boolean operatorAllowed;
  private final boolean freezes;
  private final Timeout timeout;

  ActionKind(String wire, Plan plan, Subjects subjects, Arg arg, Severity severity, boolean operatorAllowed,
             boolean freezes, Timeout timeout) {
    this.wire = wire;
    this.plan = plan;
    this.subjects = subjects;
    this.arg = arg;
    this.severity = severity;
    this.operatorAllowed = operatorAllowed;
    this.freezes = freezes;
    this.timeout = timeout;
  }

  public String wire() { return wire; }

  public Plan plan() { return plan; }

  public Subjects subjects() { return subjects; }

  public Arg arg() { return arg; }

  /** The severity of an incident whose rule lists this action first. */
  public Severity severity() { return severity; }

  /** Whether an operator's signed command may ask for it (the action role refuses the others). */
  public boolean operatorAllowed() { return operatorAllowed; }

  /** Whether it stops processes (the dashboard then offers to thaw them). */
  public boolean freezes() { return freezes; }

  /** Whether the action role carries it out (alerts are the alert role's). */
  public boolean executed() { return plan != Plan.ALERT_ONLY; }

  /** An action with its argument ("" when none). */
  public record Named(ActionKind kind, String arg) {
    /** The breaker and log name: the action, plus its argument for clusters and hooks. */
    public String name() { return arg.isEmpty() ? kind.wire : kind.wire + ":" + arg; }
  }

  /** The row of a wire name without argument, if any. */
  public static Optional<ActionKind> byWire(String name) {
    for (ActionKind k : values()) if (k.wire.equals(name)) return Optional.of(k);
    return Optional.empty();
  }

  /**
   * A command's op and target, as the action role checks them: an executed action; an argument
   * either after a colon in the op or in target (not both differently), well formed, and only
   * where the action takes one.
   */
  public static Optional<Named> parseCommand(String op, String target) {
    String name = op;
    String value = target == null ? "" : target;
    int colon = op.indexOf(':');
    if (colon >= 0) {
      name = op.substring(0, colon);
      String inOp = op.substring(colon + 1);
      if (!value.isEmpty() && !value.equals(inOp)) return Optional.empty();
      value = inOp;
    }
    Optional<ActionKind> kind = byWire(name).filter(ActionKind::executed);
    if (kind.isEmpty()) return Optional.empty();
    String a = value;
    boolean wellFormed = switch (kind.get().arg) {
      case NONE -> a.isEmpty() && colon < 0;
      case REQUIRED -> ARG_FORM.matcher(a).matches();
      case HOOK -> a.isEmpty() || ARG_FORM.matcher(a).matches();
    };
    return wellFormed ? Optional.of(new Named(kind.get(), a)) : Optional.empty();
  }

  /**
   * An entry of a rule's {@code actions:} list: a name of the table (not an operator-only one),
   * {@code <name>:<arg>} for actions that take one, or a hook key alone (= {@code run_script:<key>}).
   * Empty when it is none of these; {@link ConfigValidator} says why.
   */
  public static Optional<Named> ofRule(String entry, Map<String, HookConfig> hooks) {
    int colon = entry.indexOf(':');
    String name = colon < 0 ? entry : entry.substring(0, colon);
    String value = colon < 0 ? "" : entry.substring(colon + 1);
    Optional<ActionKind> kind = byWire(name).filter(k -> k.plan != Plan.OPERATOR_ONLY);
    if (kind.isPresent()) {
      boolean ok = switch (kind.get().arg) {
        case NONE -> colon < 0;
        case REQUIRED -> !value.isEmpty();
        case HOOK -> colon < 0 || hooks.containsKey(value);
      };
      return ok ? Optional.of(new Named(kind.get(), value)) : Optional.empty();
    }
    return colon < 0 && hooks.containsKey(entry) ? Optional.of(new Named(RUN_SCRIPT, entry)) : Optional.empty();
  }

  /**
   * The hook a run_script runs: the one named; without a name, the hook keyed {@code run_script},
   * else the only hook. With several hooks and none keyed run_script there is no safe guess (the
   * config validator refuses such a rule): null, as for an unknown name.
   */
  public static String hookFor(String name, Map<String, HookConfig> hooks) {
    if (!name.isEmpty()) return hooks.containsKey(name) ? name : null;
    if (hooks.containsKey(RUN_SCRIPT.wire)) return RUN_SCRIPT.wire;
    return hooks.size() == 1 ? hooks.keySet().iterator().next() : null;
  }

  /** How long one run of this action (with argument {@code arg}) may take under {@code cfg}. */
  public Duration timeout(String arg, PanicConfig cfg) {
    Duration breaker = cfg.circuitBreakers().timeout();
    return switch (timeout) {
      case NONE -> Duration.ZERO;
      case BREAKER -> breaker;
      case SNAPSHOT -> max(breaker, SNAPSHOT_FLOOR);
      case HOOK -> {
        String key = hookFor(arg, cfg.actions());
        yield key == null ? breaker : max(breaker, cfg.actions().get(key).timeout().plusSeconds(1));
      }
    };
  }

  /** Severity from the first action of a rule's list, as the seed did; INFO for none or a hook. */
  public static Severity severityOf(List<String> actions) {
    if (actions == null || actions.isEmpty()) return Severity.INFO;
    String first = actions.get(0);
    int colon = first.indexOf(':');
    return byWire(colon < 0 ? first : first.substring(0, colon)).map(ActionKind::severity).orElse(Severity.INFO);
  }

  /** The table as the API serves it to the dashboard. */
  public static JsonArray describeAll() {
    JsonArray out = new JsonArray();
    for (ActionKind k : values()) {
      out.add(new JsonObject().put("name", k.wire).put("plan", lower(k.plan)).put("subjects", lower(k.subjects))
          .put("argument", lower(k.arg)).put("severity", k.severity.wire()).put("operator", k.operatorAllowed)
          .put("freezes", k.freezes));
    }
    return out;
  }

  private static String lower(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT); }

  private static Duration max(Duration a, Duration b) { return a.compareTo(b) >= 0 ? a : b; }
}
