package io.panicmode.alert;

import io.panicmode.alert.channel.Texts;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The human text of alerts, as REFERENCE.md: {@code [<SEVERITY>] <rule>: <description>}, a new
 * line and the details (cut at 1500 characters), then {@code | server: <label>}. Resolved
 * incidents read {@code [RECOVERED] <rule>: recovered after <duration> (was: <description>)}.
 * When the incident comes from another host (a central alert node), {@code | host: <id>} follows.
 * Control characters from attacker-supplied text (other than new line and tab) become '?', so
 * nothing can move a terminal cursor or forge a new log line in the journal.
 */
public final class AlertText {
  static final int MAX_DETAILS = 1500;
  /** Rule groups spelled out in a digest; the rest are summed up in one phrase. */
  static final int MAX_GROUPS = 20;
  /** Incidents carried in full in a digest's structured form; the rest by id only. */
  static final int MAX_FULL_INCIDENTS = 50;

  private final String label;
  private final String localHost;

  public AlertText(String serverLabel, String localHost) {
    this.label = clean(serverLabel);
    this.localHost = localHost;
  }

  public String single(Incident i) {
    StringBuilder sb = new StringBuilder(256);
    if (i.isResolved()) {
      long secs = Math.max(0, (i.resolvedAt() - i.firedAt()) / 1000);
      sb.append("[RECOVERED] ").append(i.rule()).append(": recovered after ").append(human(Duration.ofSeconds(secs)))
          .append(" (was: ").append(clean(i.description())).append(')');
    } else {
      sb.append('[').append(i.severity().name()).append("] ").append(i.rule()).append(": ").append(clean(i.description()));
      if (!i.details().isEmpty()) sb.append('\n').append(Texts.cut(clean(i.details()), MAX_DETAILS));
    }
    return suffix(sb, i.host());
  }

  /** {@code "[CRITICAL] 37 more incidents: 35 × ssh_brute_force (35 IPs), 2 × high_cpu | server: x"}. */
  public String digest(List<Incident> incidents) {
    StringBuilder sb = new StringBuilder(256);
    sb.append('[').append(highest(incidents).name()).append("] ").append(incidents.size())
        .append(incidents.size() == 1 ? " more incident: " : " more incidents: ");
    List<Group> groups = groups(incidents);
    int shown = Math.min(groups.size(), MAX_GROUPS);
    for (int g = 0; g < shown; g++) {
      if (g > 0) sb.append(", ");
      Group gr = groups.get(g);
      sb.append(gr.count).append(" × ").append(gr.rule);
      if (gr.resolved) sb.append(" recovered");
      if (!gr.ips.isEmpty()) sb.append(" (").append(gr.ips.size()).append(gr.ips.size() == 1 ? " IP)" : " IPs)");
    }
    if (groups.size() > shown) {
      int rest = 0;
      for (int g = shown; g < groups.size(); g++) rest += groups.get(g).count;
      sb.append(", and ").append(rest).append(" more in ").append(groups.size() - shown).append(" other rules");
    }
    Set<String> hosts = new HashSet<>();
    for (Incident i : incidents) hosts.add(i.host());
    return suffix(sb, hosts.size() == 1 ? hosts.iterator().next() : localHost);
  }

  /** The structured digest for webhook receivers: counts per rule, every alert id, the first incidents in full. */
  public static JsonObject digestJson(List<String> alertIds, List<Incident> incidents) {
    JsonArray groups = new JsonArray();
    for (Group g : groups(incidents)) {
      groups.add(new JsonObject().put("rule", g.rule).put("state", g.resolved ? "resolved" : "firing")
          .put("count", g.count).put("ips", g.ips.size()));
    }
    JsonArray full = new JsonArray();
    for (int i = 0; i < Math.min(MAX_FULL_INCIDENTS, incidents.size()); i++) full.add(incidents.get(i).toJson());
    return new JsonObject().put("count", incidents.size()).put("groups", groups)
        .put("alert_ids", new JsonArray(new ArrayList<>(alertIds))).put("incidents", full)
        .put("omitted", Math.max(0, incidents.size() - MAX_FULL_INCIDENTS));
  }

  static Severity highest(List<Incident> incidents) {
    Severity best = Severity.INFO;
    for (Incident i : incidents) if (i.severity().ordinal() < best.ordinal()) best = i.severity();
    return best;
  }

  private static final class Group {
    final String rule;
    final boolean resolved;
    int count;
    final Set<String> ips = new HashSet<>();

    Group(String rule, boolean resolved) {
      this.rule = rule;
      this.resolved = resolved;
    }
  }

  private static List<Group> groups(List<Incident> incidents) {
    Map<String, Group> byKey = new LinkedHashMap<>();
    for (Incident i : incidents) {
      Group g = byKey.computeIfAbsent(i.rule() + (i.isResolved() ? "\u0000r" : ""), k -> new Group(i.rule(), i.isResolved()));
      g.count++;
      g.ips.addAll(i.subjects().ips());
    }
    List<Group> out = new ArrayList<>(byKey.values());
    out.sort(Comparator.comparingInt((Group g) -> -g.count).thenComparing(g -> g.rule).thenComparing(g -> g.resolved));
    return out;
  }

  private String suffix(StringBuilder sb, String host) {
    sb.append(" | server: ").append(label);
    if (host != null && !host.equals(localHost)) sb.append(" | host: ").append(host);
    return sb.toString();
  }

  /** "45s", "5m 3s", "2h 0m", "3d 4h". */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) return s + "s";
    if (s < 3600) return (s / 60) + "m " + (s % 60) + "s";
    if (s < 86400) return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
  }

  /** Replaces control characters other than new line and tab with '?'; CR LF becomes LF. */
  static String clean(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
        if (sb == null) sb = new StringBuilder(s.length()).append(s, 0, i);
        continue;
      }
      boolean bad = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0)
          || c == '\u2028' || c == '\u2029';
      if (bad && sb == null) sb = new StringBuilder(s.length()).append(s, 0, i);
      if (sb != null) sb.append(bad ? '?' : c);
    }
    return sb == null ? s : sb.toString();
  }
}
