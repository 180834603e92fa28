package io.panicmode.config;

import java.util.Set;

/** The action names a rule may list. {@code mass_freeze_cluster:<name>} and {@code run_script:<hook>} take an argument. */
public final class ActionNames {
  private ActionNames() {}

  public static final String ALERT_CRITICAL = "alert_critical";
  public static final String ALERT_WARNING = "alert_warning";
  public static final String ALERT_INFO = "alert_info";
  public static final String BLOCK_IP = "block_ip";
  public static final String RATE_LIMIT = "rate_limit";
  public static final String FREEZE_TOP_PROCESS = "freeze_top_process";
  public static final String MASS_FREEZE = "mass_freeze";
  public static final String MASS_FREEZE_TOP = "mass_freeze_top";
  public static final String MASS_FREEZE_CLUSTER_PREFIX = "mass_freeze_cluster:";
  public static final String KILL_PROCESS = "kill_process";
  public static final String SNAPSHOT = "snapshot";
  public static final String RUN_SCRIPT = "run_script";

  public static final Set<String> SIMPLE = Set.of(ALERT_CRITICAL, ALERT_WARNING, ALERT_INFO, BLOCK_IP, RATE_LIMIT,
      FREEZE_TOP_PROCESS, MASS_FREEZE, MASS_FREEZE_TOP, KILL_PROCESS, SNAPSHOT, RUN_SCRIPT);

  public static boolean isAlert(String action) {
    return action.equals(ALERT_CRITICAL) || action.equals(ALERT_WARNING) || action.equals(ALERT_INFO);
  }
}
