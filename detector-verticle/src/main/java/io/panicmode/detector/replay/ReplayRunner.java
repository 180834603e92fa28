package io.panicmode.detector.replay;

import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.HostId;
import io.panicmode.contracts.Incident;
import io.panicmode.detector.DetectorCore;
import io.panicmode.detector.ManualClock;
import io.panicmode.detector.Outputs;
import io.panicmode.detector.claims.Claims;
import io.panicmode.detector.claims.MemoryClaimStore;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code panicmode replay}: runs auth events (parsed from a log by the collector's parser)
 * through the detector on the events' own timestamps and prints which incidents would fire,
 * with their subjects and the commands they would send. Nothing is acted on, alerted, stored or
 * written: dedup and rate limits are kept in memory for the run. The admin's fail2ban-regex.
 */
public final class ReplayRunner {
  private ReplayRunner() {}

  /** Prints the incidents (a table, or JSON lines with {@code json}); returns the exit code, 0. */
  public static int run(PanicConfig cfg, List<AuthEvent> events, boolean json, PrintStream out) {
    List<AuthEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(AuthEvent::ts));
    ManualClock clock = new ManualClock(sorted.isEmpty() ? 0 : sorted.get(0).ts());
    String host = cfg.node().id() != null && HostId.isValid(cfg.node().id()) ? cfg.node().id()
        : sorted.isEmpty() ? "replay" : sorted.get(0).host();
    List<Row> rows = new ArrayList<>();
    Outputs printer = new Outputs() {
      @Override
      public void fired(Incident incident, List<ActionCommand> commands) { rows.add(new Row(incident, commands)); }

      @Override
      public void alert(Incident incident) { }

      @Override
      public void resolved(Incident incident, boolean alert) { }
    };
    MetricsRegistry metrics = new MetricsRegistry();
    Claims claims = new Claims(new MemoryClaimStore(clock::millis), cfg.detector().maxTrackedSubjects(), new LongAdder());
    DetectorCore core = new DetectorCore(cfg, host, clock, claims, printer, metrics);
    for (AuthEvent e : sorted) {
      clock.set(e.ts());
      core.tick();
      core.onAuth(e);
    }
    if (json) {
      for (Row r : rows) out.println(r.toJson().encode());
    } else {
      printTable(rows, out);
      out.printf("%d auth events replayed, %d incidents would fire%n", sorted.size(), rows.size());
    }
    out.flush();
    return 0;
  }

  private record Row(Incident incident, List<ActionCommand> commands) {
    JsonObject toJson() {
      JsonArray cmds = new JsonArray();
      for (ActionCommand c : commands) {
        cmds.add(new JsonObject().put("op", c.op()).put("ips", new JsonArray(new ArrayList<>(c.ips()))).put("target", c.target()));
      }
      return new JsonObject().put("time", Instant.ofEpochMilli(incident.firedAt()).toString())
          .put("rule", incident.rule()).put("severity", incident.severity().wire())
          .put("value", incident.value()).put("threshold", incident.threshold())
          .put("subjects", incident.subjects().toJson()).put("actions", new JsonArray(new ArrayList<>(incident.actions())))
          .put("commands", cmds).put("description", incident.description());
    }

    String subjects() {
      List<String> s = new ArrayList<>(incident.subjects().ips());
      s.addAll(incident.subjects().paths());
      s.addAll(incident.subjects().mounts());
      s.addAll(incident.subjects().metrics());
      return s.isEmpty() ? "-" : String.join(",", s);
    }

    String sends() {
      if (commands.isEmpty()) return "-";
      List<String> s = new ArrayList<>();
      for (ActionCommand c : commands) s.add(c.target().isEmpty() ? c.op() : c.op() + ":" + c.target());
      return String.join(",", s);
    }
  }

  private static void printTable(List<Row> rows, PrintStream out) {
    String[] head = {"TIME", "RULE", "SEVERITY", "VALUE", "SUBJECTS", "ACTIONS", "ALERT"};
    List<String[]> lines = new ArrayList<>();
    lines.add(head);
    for (Row r : rows) {
      String alert = r.incident.actions().stream().filter(a -> a.startsWith("alert_")).findFirst().orElse("-");
      lines.add(new String[] {Instant.ofEpochMilli(r.incident.firedAt()).toString(), r.incident.rule(),
          r.incident.severity().wire(), DetectorCore.num(r.incident.value()), r.subjects(), r.sends(), alert});
    }
    int[] w = new int[head.length];
    for (String[] l : lines) for (int i = 0; i < l.length; i++) w[i] = Math.max(w[i], l[i].length());
    for (String[] l : lines) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < l.length; i++) {
        if (i > 0) sb.append("  ");
        sb.append(i == l.length - 1 ? l[i] : String.format("%-" + w[i] + "s", l[i]));
      }
      out.println(sb);
    }
  }
}
