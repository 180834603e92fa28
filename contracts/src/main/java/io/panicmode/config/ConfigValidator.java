package io.panicmode.config;

import io.panicmode.contracts.HostId;
import io.panicmode.contracts.Role;
import io.panicmode.contracts.net.IpSet;
import io.panicmode.contracts.net.StrictIp;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks what types alone cannot: ranges, references between sections, required credentials. */
final class ConfigValidator {
  private static final Set<MonitorType> PERCENT_TYPES =
      Set.of(MonitorType.CPU_USAGE, MonitorType.MEMORY_USAGE, MonitorType.SWAP_USAGE, MonitorType.DISK_USAGE);

  private final List<ConfigError> errors = new ArrayList<>();

  static List<ConfigError> validate(PanicConfig c) {
    ConfigValidator v = new ConfigValidator();
    v.run(c);
    return v.errors;
  }

  private void run(PanicConfig c) {
    node(c.node());
    cluster(c.cluster());
    bridge(c.central().bridge(), c.cluster());
    performance(c.performance());
    monitors(c);
    hooks(c);
    alerts(c);
    integrations(c.integrations());
    custom(c);
    positive("file_monitor.max_events_per_path", c.fileMonitor().maxEventsPerPath());
    positive("file_monitor.aggregation_window", c.fileMonitor().aggregationWindow());
    breakers(c.circuitBreakers());
    positive("storage.retention", c.storage().retention());
    anomaly(c.anomaly());
    httpApi(c.httpApi());
    firewall(c.firewall());
    collector(c.collector());
    detector(c.detector());
    positive("delivery.outbox_expiry", c.delivery().outboxExpiry());
    positive("delivery.digest_threshold", c.delivery().digestThreshold());
    positive("delivery.digest_interval", c.delivery().digestInterval());
    positive("delivery.max_queued", c.delivery().maxQueued());
    positive("fleet.stale_after", c.fleet().staleAfter());
    positive("fleet.heartbeat_interval", c.fleet().heartbeatInterval());
    positive("fleet.outbox_max_entries", c.fleet().outboxMaxEntries());
    oneOf("logging.format", c.logging().format(), Set.of("text", "json"));
    oneOf("logging.level", c.logging().level(), Set.of("trace", "debug", "info", "warn", "error"));
  }

  private void node(NodeConfig n) {
    if (n.id() != null && !HostId.isValid(n.id())) {
      err("node.id", "must be 1-63 letters, digits, '-' or '_' starting with a letter or digit, got \"" + n.id() + "\"");
    }
    for (int i = 0; i < n.roles().size(); i++) {
      try {
        Role.fromWire(n.roles().get(i));
      } catch (IllegalArgumentException e) {
        err("node.roles[" + i + "]", e.getMessage());
      }
    }
  }

  private void cluster(ClusterConfig c) {
    if (!isIp(c.bind())) err("cluster.bind", "must be an IP address, got \"" + c.bind() + "\"");
    port("cluster.port", c.port(), false);
    port("cluster.event_bus_port", c.eventBusPort(), true);
    for (int i = 0; i < c.members().size(); i++) hostPort("cluster.members[" + i + "]", c.members().get(i));
    if (c.tls().enabled()) {
      if (blank(c.tls().keyStore())) err("cluster.tls.key_store", "required when cluster.tls.enabled is true");
      if (blank(c.tls().trustStore())) err("cluster.tls.trust_store", "required when cluster.tls.enabled is true");
    }
    positive("cluster.join_timeout", c.joinTimeout());
  }

  private void bridge(BridgeConfig b, ClusterConfig cluster) {
    String at = "central.bridge.";
    if (b.listen() && b.isAgent()) err(at + "connect", "a node either serves the bridge (listen) or connects to one, not both");
    if (b.listen()) {
      if (!isIp(b.bind())) err(at + "bind", "must be an IP address, got \"" + b.bind() + "\"");
      port(at + "port", b.port(), true);
    }
    if (b.isAgent()) {
      hostPort(at + "connect", b.connect());
      // The privilege-separated processes of one host may share a cluster on loopback; no other host may join it.
      if (cluster.enabled() && !loopbackOnly(cluster)) {
        err(at + "connect", "an agent over the bridge shares a cluster only with its own host's processes: set "
            + "cluster.enabled to false, or cluster.bind and every cluster.members entry to 127.0.0.1");
      }
    }
    if (b.listen() || b.isAgent()) {
      if (blank(b.tls().keyStore())) err(at + "tls.key_store", "required: the bridge always uses mutual TLS");
      if (blank(b.tls().trustStore())) err(at + "tls.trust_store", "required: the bridge always uses mutual TLS");
    }
    positive(at + "request_timeout", b.requestTimeout());
    positive(at + "max_pending", b.maxPending());
  }

  private void performance(PerformanceConfig p) {
    if (p.cpuLimit() <= 0) err("performance.cpu_limit", "must be > 0, got " + p.cpuLimit());
    if (p.memoryLimitMb() <= 0) err("performance.memory_limit_mb", "must be > 0, got " + p.memoryLimitMb());
    if (p.checkInterval().toMillis() < 100) {
      err("performance.check_interval", "must be at least 100ms, got " + Durations.format(p.checkInterval()));
    }
    positive("performance.self_fd_threshold", p.selfFdThreshold());
    positive("performance.self_thread_threshold", p.selfThreadThreshold());
  }

  private void monitors(PanicConfig c) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.monitors().size(); i++) {
      MonitorRule r = c.monitors().get(i);
      String p = "monitors[" + i + "]";
      if (r.name().isBlank()) err(p + ".name", "must not be empty");
      else if (!names.add(r.name())) err(p + ".name", "duplicate rule name \"" + r.name() + "\"");
      if (r.threshold() < 0) err(p + ".threshold", "must be >= 0, got " + r.threshold());
      if (PERCENT_TYPES.contains(r.type()) && r.threshold() > 100) {
        err(p + ".threshold", "is a percentage for " + r.type().wire() + ", must be <= 100, got " + r.threshold());
      }
      if (r.actions().isEmpty()) err(p + ".actions", "must list at least one action");
      for (int j = 0; j < r.actions().size(); j++) action(p + ".actions[" + j + "]", r.actions().get(j), c);
      if (r.window() != null) positive(p + ".window", r.window());
      if (r.hysteresis() != null && r.hysteresis() < 0) err(p + ".hysteresis", "must be >= 0, got " + r.hysteresis());
      if (r.metric() != null && r.type() != MonitorType.CUSTOM) {
        err(p + ".metric", "applies to custom rules only, this one is " + r.type().wire());
      } else if (r.metric() != null && !c.customMetrics().containsKey(r.metric())) {
        String hint = DidYouMean.suggest(r.metric(), c.customMetrics().keySet());
        err(p + ".metric", "there is no custom_metrics." + r.metric() + (hint == null ? "" : " (did you mean " + hint + "?)"));
      } else if (r.type() == MonitorType.CUSTOM && CustomRuleMetric.of(r, c.customMetrics()) == null) {
        err(p + ".name", "a custom rule reads its metric: key, else the custom_metrics entry of the same name; there is no "
            + "custom_metrics." + r.name() + (c.customMetrics().isEmpty() ? "" : " and more than one to choose from: add metric:"));
      }
      if (r.type() == MonitorType.FILE_MONITOR && r.paths().isEmpty()) {
        err(p + ".paths", "file_monitor rules need at least one path");
      }
    }
  }

  private void action(String path, String a, PanicConfig c) {
    var named = ActionKind.ofRule(a, c.actions());
    if (named.isPresent()) {
      if (named.get().kind() == ActionKind.RUN_SCRIPT && ActionKind.hookFor(named.get().arg(), c.actions()) == null) {
        err(path, c.actions().isEmpty()
            ? "run_script needs at least one hook under actions: (e.g. actions.run_script.action: /path/to/script)"
            : "run_script without a hook key needs a hook keyed run_script or exactly one hook; there are "
                + c.actions().size() + ": name one (run_script:<key>)");
      }
      return;
    }
    int colon = a.indexOf(':');
    String name = colon < 0 ? a : a.substring(0, colon);
    var kind = ActionKind.byWire(name);
    if (kind.isPresent() && kind.get().plan() == ActionKind.Plan.OPERATOR_ONLY) {
      err(path, name + " is for operators (ctl, API), not for rules");
    } else if (kind.isPresent() && kind.get().arg() == ActionKind.Arg.REQUIRED) {
      err(path, name + " needs a name: " + name + ":<name>");
    } else if (kind.isPresent() && kind.get().arg() == ActionKind.Arg.HOOK) {
      err(path, "no hook \"" + a.substring(colon + 1) + "\" under actions:");
    } else if (kind.isPresent()) {
      err(path, name + " takes no argument");
    } else {
      String hint = DidYouMean.suggest(a, RULE_ACTIONS);
      err(path, "unknown action \"" + a + "\"" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)"));
    }
  }

  /** What a rule may list (for suggestions). */
  private static final java.util.Set<String> RULE_ACTIONS = java.util.Arrays.stream(ActionKind.values())
      .filter(k -> k.plan() != ActionKind.Plan.OPERATOR_ONLY).map(ActionKind::wire)
      .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private void hooks(PanicConfig c) {
    c.actions().forEach((k, h) -> {
      if (!h.type().equals("script")) err("actions." + k + ".type", "only \"script\" is supported, got \"" + h.type() + "\"");
      if (h.action().isBlank()) err("actions." + k + ".action", "must name a script path");
      positive("actions." + k + ".timeout", h.timeout());
    });
  }

  private void alerts(PanicConfig c) {
    check("critical", c.alerts().critical(), c);
    check("warning", c.alerts().warning(), c);
    check("info", c.alerts().info(), c);
    for (String severity : c.alerts().mode().keySet()) {
      if (!List.of("critical", "warning", "info").contains(severity)) {
        err("alerts.mode." + severity, "unknown severity; expected critical, warning or info");
      }
    }
  }

  private void check(String severity, List<AlertChannelConfig> list, PanicConfig c) {
    IntegrationsConfig in = c.integrations();
    for (int i = 0; i < list.size(); i++) {
      AlertChannelConfig ch = list.get(i);
      String p = "alerts." + severity + "[" + i + "]";
      if (ch.retries() < 0 || ch.retries() > 20) err(p + ".retries", "must be between 0 and 20, got " + ch.retries());
      positive(p + ".timeout", ch.timeout());
      switch (ch.channel()) {
        case TELEGRAM -> {
          if (in.telegram() == null) err(p + ".channel", "telegram is used but integrations.telegram is missing");
          else if (blank(ch.chatId()) && blank(in.telegram().chatId())) {
            err("integrations.telegram.chat_id", "required: alerts." + severity + " uses telegram");
          }
        }
        case DISCORD -> {
          if (blank(ch.webhookUrl()) && (in.discord() == null || blank(in.discord().webhookUrl()))) {
            err(p + ".webhook_url", "required for discord (here or in integrations.discord.webhook_url)");
          }
          if (!blank(ch.webhookUrl())) url(p + ".webhook_url", ch.webhookUrl());
        }
        case WEBHOOK -> {
          if (blank(ch.webhookUrl())) err(p + ".webhook_url", "required for the webhook channel");
          else url(p + ".webhook_url", ch.webhookUrl());
        }
        case NTFY -> {
          if (in.ntfy() == null) err(p + ".channel", "ntfy is used but integrations.ntfy is missing");
        }
        case EMAIL -> {
          if (in.email() == null) err(p + ".channel", "email is used but integrations.email is missing");
          else if (blank(ch.email()) && blank(in.email().toEmail())) {
            err("integrations.email.to_email", "required: alerts." + severity + " uses email");
          }
        }
        case TWILIO_SMS, TWILIO_CALL -> {
          if (in.twilio() == null) err(p + ".channel", ch.channel().wire() + " is used but integrations.twilio is missing");
          if (ch.contacts().isEmpty()) err(p + ".contacts", "required for " + ch.channel().wire() + ": whom to reach");
        }
        case LOG -> { }
      }
    }
  }

  private void integrations(IntegrationsConfig in) {
    if (in.telegram() != null && in.telegram().enabled()) {
      if (blank(in.telegram().botToken())) err("integrations.telegram.bot_token", "required when telegram is enabled");
      if (in.telegram().apiBaseUrl() != null) url("integrations.telegram.api_base_url", in.telegram().apiBaseUrl());
    }
    if (in.discord() != null && in.discord().enabled() && !blank(in.discord().webhookUrl())) {
      url("integrations.discord.webhook_url", in.discord().webhookUrl());
    }
    if (in.ntfy() != null && in.ntfy().enabled()) {
      url("integrations.ntfy.server", in.ntfy().server());
      if (blank(in.ntfy().topic())) err("integrations.ntfy.topic", "required when ntfy is enabled");
    }
    if (in.email() != null && in.email().enabled()) {
      EmailConfig e = in.email();
      if (blank(e.smtpHost())) err("integrations.email.smtp_host", "required when email is enabled");
      port("integrations.email.smtp_port", e.smtpPort(), false);
      if (blank(e.fromEmail())) err("integrations.email.from_email", "required when email is enabled");
      if (!blank(e.smtpUsername()) && e.smtpPassword() == null) {
        err("integrations.email.smtp_password", "required when smtp_username is set");
      }
    }
    if (in.twilio() != null && in.twilio().enabled()) {
      TwilioConfig t = in.twilio();
      if (blank(t.accountSid())) err("integrations.twilio.account_sid", "required when twilio is enabled");
      if (blank(t.authToken())) err("integrations.twilio.auth_token", "required when twilio is enabled");
      if (blank(t.fromNumber())) err("integrations.twilio.from_number", "required when twilio is enabled");
      url("integrations.twilio.api_base_url", t.apiBaseUrl());
    }
  }

  private void custom(PanicConfig c) {
    c.customMetrics().forEach((name, m) -> {
      if (m.command().isBlank()) {
        err("custom_metrics." + name + ".command", "must not be empty");
      } else {
        try {
          ArgvSplitter.split(m.command());
        } catch (IllegalArgumentException e) {
          err("custom_metrics." + name + ".command", "cannot be split into arguments: " + e.getMessage());
        }
      }
      positive("custom_metrics." + name + ".timeout", m.timeout());
    });
  }

  private void breakers(CircuitBreakerConfig b) {
    positive("circuit_breakers.max_failures", b.maxFailures());
    positive("circuit_breakers.failure_window", b.failureWindow());
    positive("circuit_breakers.open_duration", b.openDuration());
    positive("circuit_breakers.max_concurrency", b.maxConcurrency());
    positive("circuit_breakers.timeout", b.timeout());
    positive("circuit_breakers.max_queued", b.maxQueued());
  }

  private void anomaly(AnomalyConfig a) {
    for (int i = 0; i < a.disabled().size(); i++) {
      oneOf("anomaly.disabled[" + i + "]", a.disabled().get(i), AnomalyConfig.NAMES);
    }
    if (a.cpuSpikeThreshold() < 0 || a.cpuSpikeThreshold() > 100) {
      err("anomaly.cpu_spike_threshold", "must be between 0 and 100, got " + a.cpuSpikeThreshold());
    }
    if (a.memorySpikeThreshold() < 0 || a.memorySpikeThreshold() > 100) {
      err("anomaly.memory_spike_threshold", "must be between 0 and 100, got " + a.memorySpikeThreshold());
    }
    if (a.connectionSpikeThreshold() < 0) err("anomaly.connection_spike_threshold", "must be >= 0");
    positive("anomaly.suspicious_ip_threshold", a.suspiciousIpThreshold());
    positive("anomaly.suspicious_connections_per_ip", a.suspiciousConnectionsPerIp());
    if (a.highLoadThreshold() < 0) err("anomaly.high_load_threshold", "must be >= 0, got " + a.highLoadThreshold());
  }

  private void httpApi(HttpApiConfig h) {
    hostPort("http_api.bind", h.bind());
    positive("http_api.max_body_bytes", h.maxBodyBytes());
    positive("http_api.request_timeout", h.requestTimeout());
    positive("http_api.idle_timeout", h.idleTimeout());
  }

  private void firewall(FirewallConfig f) {
    for (int i = 0; i < f.whitelist().size(); i++) {
      String w = f.whitelist().get(i);
      try {
        // The same parser the action verticle uses, so what validates here is what it will accept.
        if (!w.equals(w.strip())) throw new IllegalArgumentException();
        IpSet.parse(List.of(w));
      } catch (IllegalArgumentException e) {
        err("firewall.whitelist[" + i + "]", "not an IP address or CIDR block: \"" + w + "\"");
      }
    }
    if (f.banDuration() != null) banDuration("firewall.ban_duration", f.banDuration());
    banDuration("firewall.ban_max_duration", f.banMaxDuration());
    if (f.banGrowthFactor() < 1.0) err("firewall.ban_growth_factor", "must be >= 1.0, got " + f.banGrowthFactor());
    if (!f.nftTable().matches("[A-Za-z][A-Za-z0-9_]{0,30}")) {
      err("firewall.nft_table", "must be a plain identifier, got \"" + f.nftTable() + "\"");
    }
    positive("firewall.rate_limit_per_minute", f.rateLimitPerMinute());
  }

  private void collector(CollectorConfig c) {
    oneOf("collector.auth_source", c.authSource(), Set.of("auto", "file", "journald", "off"));
    oneOf("collector.auth_mode", c.authMode(), Set.of("normal", "aggressive"));
    if (c.maxLineBytes() < 256) err("collector.max_line_bytes", "must be at least 256, got " + c.maxLineBytes());
    positive("collector.disk_timeout", c.diskTimeout());
  }

  private void detector(DetectorConfig d) {
    positive("detector.dedup_window", d.dedupWindow());
    if (d.hysteresis() < 0 || d.hysteresis() >= 100) err("detector.hysteresis", "must be between 0 and 100, got " + d.hysteresis());
    positive("detector.auth_window", d.authWindow());
    positive("detector.max_tracked_subjects", d.maxTrackedSubjects());
    if (d.distributedAuthThreshold() != null && d.distributedAuthThreshold() <= 0) {
      err("detector.distributed_auth_threshold", "must be > 0");
    }
  }

  // helpers

  private void positive(String path, long v) {
    if (v <= 0) err(path, "must be > 0, got " + v);
  }

  private void banDuration(String path, Duration d) {
    positive(path, d);
    if (d.compareTo(FirewallConfig.MAX_BAN_DURATION) > 0) {
      err(path, "must be at most " + Durations.format(FirewallConfig.MAX_BAN_DURATION) + ", got " + Durations.format(d));
    }
  }

  private void positive(String path, Duration d) {
    if (d.isZero() || d.isNegative()) err(path, "must be longer than 0, got " + Durations.format(d));
  }

  private void oneOf(String path, String v, Set<String> allowed) {
    if (!allowed.contains(v)) {
      String hint = DidYouMean.suggest(v, allowed);
      err(path, "unknown value \"" + v + "\"" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)")
          + "; expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    }
  }

  private void port(String path, int port, boolean zeroAllowed) {
    if (port < (zeroAllowed ? 0 : 1) || port > 65535) err(path, "not a valid port: " + port);
  }

  private void hostPort(String path, String v) {
    int colon = v.lastIndexOf(':');
    if (colon <= 0) {
      err(path, "expected host:port, got \"" + v + "\"");
      return;
    }
    String host = v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    try {
      int p = Integer.parseInt(v.substring(colon + 1));
      if (p < 1 || p > 65535) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      err(path, "not a valid port in \"" + v + "\" (list each member; ranges are not supported)");
      return;
    }
    if (!isIp(host) && !host.matches("[A-Za-z0-9.-]{1,253}")) err(path, "not a valid host in \"" + v + "\"");
  }

  private void url(String path, String u) {
    try {
      URI uri = new URI(u);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        err(path, "must be an http:// or https:// URL");
      }
    } catch (Exception e) {
      err(path, "must be an http:// or https:// URL");
    }
  }

  private static boolean loopbackOnly(ClusterConfig c) {
    if (!c.bind().startsWith("127.")) return false;
    for (String m : c.members()) if (!m.startsWith("127.")) return false;
    return true;
  }

  static boolean isIp(String s) {
    return StrictIp.parse(s).isPresent();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private void err(String path, String message) {
    errors.add(new ConfigError(path, message));
  }
}
