package io.panicmode.detector;

import io.panicmode.config.ActionKind;
import io.panicmode.config.HookConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.net.BanRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a fired incident's action list into {@link ActionCommand}s for this host's action
 * verticle: one command per action whose {@link ActionKind#plan()} is COMMAND, in the rule's
 * order. IP actions carry the incident's IPs that are neither always protected nor whitelisted
 * (none left: no command); a private source is carried too, so that the action role refuses it and
 * says why in the result unless {@code firewall.ban_private_networks}. An argument becomes the
 * target ({@code mass_freeze_cluster:<name>}, {@code run_script:<key>}, a bare hook key); a bare
 * run_script targets the hook {@link ActionKind#hookFor} picks, the same rule the action role applies.
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
      // The validator refused anything else; a rule that still names no action plans nothing.
      var named = ActionKind.ofRule(actions.get(i), hooks);
      if (named.isEmpty() || named.get().kind().plan() != ActionKind.Plan.COMMAND) continue;
      ActionKind kind = named.get().kind();
      String target = named.get().arg();
      if (kind == ActionKind.RUN_SCRIPT) {
        target = ActionKind.hookFor(target, hooks);
        if (target == null) continue;
      }
      List<String> cmdIps = List.of();
      if (kind.subjects() == ActionKind.Subjects.IPS) {
        cmdIps = inc.subjects().ips().stream().filter(ips::requestable).toList();
        if (cmdIps.isEmpty()) continue;
      }
      String op = kind.wire();
      out.add(new ActionCommand(inc.id() + ":" + i + ":" + op, host, op, cmdIps, inc.subjects().processes(), 0,
          inc.description(), target, inc, "detector", now, ""));
    }
    return out;
  }
}
