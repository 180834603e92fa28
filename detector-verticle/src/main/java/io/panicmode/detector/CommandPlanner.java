package io.panicmode.detector;

import io.panicmode.config.ActionNames;
import io.panicmode.config.HookConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.net.BanRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a fired incident's action list into {@link ActionCommand}s for this host's action
 * verticle: one command per non-alert action, in the rule's order. block_ip and rate_limit carry
 * the incident's IPs that are neither always protected nor whitelisted (none left: no command); a
 * private source is carried too, so that the action role refuses it and says why in the result
 * unless {@code firewall.ban_private_networks}; {@code mass_freeze_cluster:<name>} becomes
 * op mass_freeze_cluster with target name; {@code run_script:<key>} and a bare hook key become op
 * run_script with that key as target; a bare {@code run_script} targets the hook named
 * {@code run_script}, else the first hook configured.
 */
public final class CommandPlanner {
  private final String host;
  private final Map<String, HookConfig> hooks;
  private final BanRules ips;

  public CommandPlanner(String host, Map<String, HookConfig> hooks, BanRules ips) {
    this.host = host;
    this.hooks = hooks;
    this.ips = ips;
  }

  public List<ActionCommand> plan(Incident inc, long now) {
    List<ActionCommand> out = new ArrayList<>();
    List<String> actions = inc.actions();
    for (int i = 0; i < actions.size(); i++) {
      String a = actions.get(i);
      if (ActionNames.isAlert(a)) continue;
      String op = a;
      String target = "";
      List<String> cmdIps = List.of();
      if (a.equals(ActionNames.BLOCK_IP) || a.equals(ActionNames.RATE_LIMIT)) {
        cmdIps = inc.subjects().ips().stream().filter(ips::requestable).toList();
        if (cmdIps.isEmpty()) continue;
      } else if (a.startsWith(ActionNames.MASS_FREEZE_CLUSTER_PREFIX)) {
        op = "mass_freeze_cluster";
        target = a.substring(ActionNames.MASS_FREEZE_CLUSTER_PREFIX.length());
      } else if (a.startsWith(ActionNames.RUN_SCRIPT + ":")) {
        op = ActionNames.RUN_SCRIPT;
        target = a.substring(ActionNames.RUN_SCRIPT.length() + 1);
      } else if (a.equals(ActionNames.RUN_SCRIPT)) {
        target = hooks.containsKey(ActionNames.RUN_SCRIPT) || hooks.isEmpty()
            ? ActionNames.RUN_SCRIPT : hooks.keySet().iterator().next();
      } else if (!ActionNames.SIMPLE.contains(a) && hooks.containsKey(a)) {
        op = ActionNames.RUN_SCRIPT;
        target = a;
      }
      out.add(new ActionCommand(inc.id() + ":" + i + ":" + op, host, op, cmdIps, inc.subjects().processes(), 0,
          inc.description(), target, inc, "detector", now, ""));
    }
    return out;
  }
}
