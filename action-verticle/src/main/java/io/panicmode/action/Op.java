package io.panicmode.action;

import java.util.Optional;
import java.util.regex.Pattern;

/** The closed set of operations the action verticle carries out; anything else is rejected. */
public enum Op {
  BLOCK_IP("block_ip"), UNBLOCK_IP("unblock_ip"), RATE_LIMIT("rate_limit"), FREEZE_TOP_PROCESS("freeze_top_process"),
  MASS_FREEZE("mass_freeze"), MASS_FREEZE_TOP("mass_freeze_top"), MASS_FREEZE_CLUSTER("mass_freeze_cluster"),
  KILL_PROCESS("kill_process"), THAW("thaw"), SNAPSHOT("snapshot"), RUN_SCRIPT("run_script");

  private static final Pattern ARG = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final String wire;

  Op(String wire) { this.wire = wire; }

  public String wire() { return wire; }

  public boolean takesIps() { return this == BLOCK_IP || this == UNBLOCK_IP || this == RATE_LIMIT; }

  public boolean takesProcesses() { return this == FREEZE_TOP_PROCESS || this == KILL_PROCESS || this == THAW; }

  /** An operation with its argument: the cluster name or hook key ("" when none). */
  public record Parsed(Op op, String arg) {
    /** The breaker / metrics name: the op, plus its argument for clusters and hooks. */
    public String name() { return arg.isEmpty() ? op.wire : op.wire + ":" + arg; }
  }

  /**
   * Parses {@code op} and {@code target}. {@code mass_freeze_cluster:<name>} and
   * {@code run_script:<key>} may carry the argument in the op itself or in target (not both
   * differently); other ops take no target. Arguments are plain identifiers.
   */
  public static Optional<Parsed> parse(String op, String target) {
    String name = op;
    String arg = target == null ? "" : target;
    int colon = op.indexOf(':');
    if (colon >= 0) {
      name = op.substring(0, colon);
      String inOp = op.substring(colon + 1);
      if (!arg.isEmpty() && !arg.equals(inOp)) return Optional.empty();
      arg = inOp;
    }
    for (Op o : values()) {
      if (!o.wire.equals(name)) continue;
      boolean takesArg = o == MASS_FREEZE_CLUSTER || o == RUN_SCRIPT;
      if (!takesArg && (!arg.isEmpty() || colon >= 0)) return Optional.empty();
      if (o == MASS_FREEZE_CLUSTER && !ARG.matcher(arg).matches()) return Optional.empty();
      if (o == RUN_SCRIPT && !arg.isEmpty() && !ARG.matcher(arg).matches()) return Optional.empty();
      return Optional.of(new Parsed(o, arg));
    }
    return Optional.empty();
  }
}
