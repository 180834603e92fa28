package io.panicmode.api.ctl;

import io.panicmode.config.ConfigException;
import io.panicmode.config.ConfigLoader;
import io.panicmode.config.Durations;
import io.panicmode.config.HttpApiConfig;
import io.panicmode.config.PanicConfig;
import io.panicmode.api.local.CtlSocketPath;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code panicmode ctl} (installed also as {@code panicmode-ctl}): the operator's command line.
 * On the daemon's host it talks over the local control socket ({@code firewall.ctl_socket}, see
 * {@link CtlSocketPath}) when that exists, with no token: the daemon lets root and the
 * {@code panicmode} group change things and everyone else read. {@code PANICMODE_API_URL} forces
 * the REST API, as does the absence of the socket. The API address and token come from {@code PANICMODE_API_URL} /
 * {@code PANICMODE_API_TOKEN} when set, else from the config file ({@code --config FILE} or
 * {@code PANICMODE_CONFIG}: {@code http_api.bind}, {@code http_api.token} / {@code token_file}),
 * else {@code http://127.0.0.1:8765} without a token. Errors print {@code Error: ...} on stderr and
 * exit 1.
 */
public final class CtlCommand {
  private CtlCommand() {}

  static final String USAGE = """
      Usage: panicmode ctl [--config FILE] [--json] COMMAND [ARGS]
        list [--host H] [--all]                      bans in force (--all: the whole ledger)
        block IP [--for 1h] [--reason TEXT] [--host H]
        unblock IP [--host H] [--reason TEXT]
        incidents [--since 1h] [--until T] [--host H] [--severity S] [--rule R] [--limit N]
        agents [--host H]
        status
        thaw PID [--host H] [--start-time TICKS]
        reload                                       re-read the config file (as SIGHUP does)
      Uses the local ctl socket when it exists (no token), else the HTTP API.
      Env: PANICMODE_API_URL (forces HTTP), PANICMODE_API_TOKEN, PANICMODE_CONFIG, PANICMODE_CTL_SOCKET.
      """;

  private static final Set<String> FLAGS = Set.of("--json", "--all", "--help", "-h");
  private static final Set<String> OPTIONS = Set.of("--config", "--host", "--for", "--reason", "--since", "--until",
      "--severity", "--rule", "--limit", "--start-time");

  /** Thrown for anything that ends the command with {@code Error: message}. */
  static final class CtlError extends Exception {
    CtlError(String message) { super(message, null, false, false); }
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, out, err, java.time.Clock.systemUTC());
  }

  /** {@code clock}: "now" for the relative times it prints ("5m ago", "in 1h"). */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, java.time.Clock clock) {
    try {
      Parsed p = parse(args);
      if (p.flags.contains("--help") || p.flags.contains("-h")) {
        out.print(USAGE);
        return 0;
      }
      if (p.words.isEmpty()) throw new CtlError("no command given\n" + USAGE.stripTrailing());
      Endpoint api = endpoint(p, env);
      return new Session(api, p, out, clock).dispatch();
    } catch (CtlError e) {
      err.println("Error: " + e.getMessage());
      return 1;
    }
  }

  /** Command words and options, in any order. */
  record Parsed(List<String> words, Map<String, String> options, Set<String> flags) {}

  static Parsed parse(String[] args) throws CtlError {
    List<String> words = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    Set<String> flags = new java.util.HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (FLAGS.contains(name) && value == null) {
        flags.add(name);
      } else if (OPTIONS.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length) throw new CtlError(name + " needs a value");
          value = args[++i];
        }
        if (options.put(name, value) != null) throw new CtlError(name + " given twice");
      } else if (a.startsWith("-") && a.length() > 1 && !Character.isDigit(a.charAt(1))) {
        throw new CtlError("unknown option " + Table.safe(a, 40) + "\n" + USAGE.stripTrailing());
      } else {
        words.add(a);
      }
    }
    return new Parsed(words, options, flags);
  }

  /** Where to send requests: the local control socket when {@code socket} is set, else the HTTP API. */
  record Endpoint(String baseUrl, String token, Path socket) {
    String describe() {
      return socket != null ? "the ctl socket " + socket : "the PanicMode API at " + baseUrl;
    }
  }

  /**
   * The local control socket when one is there (no token needed: the daemon checks who we are),
   * unless {@code PANICMODE_API_URL} asks for HTTP; otherwise the HTTP API with its token.
   */
  static Endpoint endpoint(Parsed p, Map<String, String> env) throws CtlError {
    String url = blankToNull(env.get("PANICMODE_API_URL"));
    String token = blankToNull(env.get("PANICMODE_API_TOKEN"));
    String configFile = p.options.getOrDefault("--config", blankToNull(env.get("PANICMODE_CONFIG")));
    PanicConfig cfg = null;
    if (configFile != null) {
      try {
        cfg = ConfigLoader.load(Path.of(configFile), env);
      } catch (ConfigException e) {
        throw new CtlError(e.getMessage());
      }
    }
    if (url == null) {
      Path socket = findSocket(cfg != null ? cfg : defaultConfig(env), env);
      if (socket != null) return new Endpoint(null, null, socket);
    }
    if (cfg != null && (url == null || token == null)) {
      HttpApiConfig api = cfg.httpApi();
      if (url == null) url = "http://" + connectHost(api.bind());
      if (token == null) {
        token = blankToNull(api.token());
        if (token == null && api.tokenFile() != null) {
          try {
            token = blankToNull(Files.readString(Path.of(api.tokenFile()), StandardCharsets.UTF_8).strip().lines().findFirst().orElse(""));
          } catch (IOException e) {
            throw new CtlError("cannot read http_api.token_file " + api.tokenFile() + ": " + e.getMessage());
          }
        }
      }
    }
    if (url == null) url = "http://127.0.0.1:8765";
    while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
    if (!url.startsWith("http://") && !url.startsWith("https://")) throw new CtlError("API URL must start with http:// or https://: " + url);
    return new Endpoint(url, token, null);
  }

  /**
   * The config {@code panicmode run} would use without {@code --config}: {@code
   * config/panicmode.yaml} here or next to the installation ({@code PANICMODE_HOME}), else
   * {@code /etc/panicmode/config.yaml}. Only its socket path is taken from it, and a config that
   * does not load is passed over: it was not asked for.
   */
  private static PanicConfig defaultConfig(Map<String, String> env) {
    for (Path candidate : DefaultConfig.candidates(env)) {
      if (!Files.isReadable(candidate)) continue;
      try {
        return ConfigLoader.load(candidate, env);
      } catch (ConfigException | RuntimeException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * The first control socket that exists among those the daemon may have made: the configured
   * path; with the default path, both the root location and the one next to the data, since
   * {@code ctl} may run as another user than the daemon.
   */
  static Path findSocket(PanicConfig cfg, Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    if (cfg != null) {
      String configured = cfg.firewall().ctlSocket();
      if (configured == null || configured.isBlank()) return null;
      try {
        candidates.add(CtlSocketPath.resolve(cfg, true));
        candidates.add(CtlSocketPath.resolve(cfg, false));
      } catch (IllegalArgumentException e) {
        return null;
      }
    } else {
      String fromEnv = blankToNull(env.get("PANICMODE_CTL_SOCKET"));
      candidates.add(Path.of(fromEnv != null ? fromEnv : CtlSocketPath.DEFAULT));
    }
    for (Path c : candidates) {
      if (Files.exists(c) && !Files.isRegularFile(c) && !Files.isDirectory(c)) return c;
    }
    return null;
  }

  /** A bind address as a place to connect to: the wildcard means this host's loopback. */
  static String connectHost(String bind) {
    int colon = bind.lastIndexOf(':');
    String host = bind.substring(0, colon);
    String port = bind.substring(colon + 1);
    if (host.equals("0.0.0.0") || host.isEmpty()) host = "127.0.0.1";
    if (host.equals("::") || host.equals("[::]")) host = "[::1]";
    if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
    return host + ":" + port;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** One invocation against one API. */
  private static final class Session {
    private final Endpoint api;
    private final Parsed p;
    private final PrintStream out;
    private final java.time.Clock clock;
    private final boolean json;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Made on first HTTP use only: setting up its TLS machinery costs most of a second the socket path does not need. */
    private HttpClient client;

    Session(Endpoint api, Parsed p, PrintStream out, java.time.Clock clock) {
      this.clock = clock;
      this.api = api;
      this.p = p;
      this.out = out;
      this.json = p.flags.contains("--json");
    }

    int dispatch() throws CtlError {
      String cmd = p.words.get(0);
      List<String> rest = p.words.subList(1, p.words.size());
      switch (cmd) {
        case "list" -> { allow(rest, 0, "--host"); list(); }
        case "block" -> { allow(rest, 1, "--host", "--for", "--reason"); block(rest.get(0)); }
        case "unblock" -> { allow(rest, 1, "--host", "--reason"); unblock(rest.get(0)); }
        case "incidents" -> { allow(rest, 0, "--host", "--since", "--until", "--severity", "--rule", "--limit"); incidents(); }
        case "agents" -> { allow(rest, 0, "--host"); agents(); }
        case "status" -> { allow(rest, 0); status(); }
        case "thaw" -> { allow(rest, 1, "--host", "--start-time"); thaw(rest.get(0)); }
        case "reload" -> { allow(rest, 0); reload(); }
        default -> throw new CtlError("unknown command \"" + Table.safe(cmd, 40) + "\"\n" + USAGE.stripTrailing());
      }
      return 0;
    }

    private void allow(List<String> args, int count, String... options) throws CtlError {
      if (args.size() != count) {
        throw new CtlError(p.words.get(0) + ": expected " + (count == 0 ? "no arguments" : count + " argument") + "\n"
            + USAGE.stripTrailing());
      }
      Set<String> ok = Set.of(options);
      for (String o : p.options.keySet()) {
        if (!o.equals("--config") && !ok.contains(o)) throw new CtlError(p.words.get(0) + ": option " + o + " does not apply");
      }
      if (p.flags.contains("--all") && !p.words.get(0).equals("list")) throw new CtlError("--all applies to list only");
    }

    private void list() throws CtlError {
      long now = clock.millis();
      JsonArray all = new JsonArray();
      String cursor = null;
      // Follow pages to the end, with a ceiling so a huge ledger cannot make this run forever.
      for (int page = 0; page < 100; page++) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("limit", "1000");
        putOpt(q, "host", "--host");
        if (p.flags.contains("--all")) q.put("all", "true");
        if (cursor != null) q.put("cursor", cursor);
        JsonObject body = object(call("GET", "/api/v1/blocks" + query(q), null));
        all.addAll(body.getJsonArray("items", new JsonArray()));
        cursor = body.getString("next");
        if (cursor == null) break;
      }
      if (json) {
        out.println(new JsonObject().put("items", all).encodePrettily());
        return;
      }
      if (all.isEmpty()) {
        out.println(p.flags.contains("--all") ? "No blocks recorded." : "No active blocks.");
        return;
      }
      Table t = new Table("IP", "Blocked At", "Reason", "Host", "Expires", "Count");
      for (Object o : all) {
        JsonObject b = (JsonObject) o;
        Long exp = b.getLong("expiresAt");
        String expires = !b.getBoolean("active", true) ? "lifted " + Table.relative(b.getLong("unblockedAt", now), now)
            : exp == null ? "never" : Table.relative(exp, now);
        t.row(b.getString("ip"), Table.relative(b.getLong("blockedAt"), now), b.getString("reason"), b.getString("host"),
            expires, String.valueOf(b.getInteger("count", 1)));
      }
      out.print(t.render());
    }

    private void block(String ip) throws CtlError {
      JsonObject req = new JsonObject().put("ip", ip);
      if (p.options.containsKey("--host")) req.put("host", p.options.get("--host"));
      if (p.options.containsKey("--for")) {
        try {
          Durations.parse(p.options.get("--for"));
        } catch (IllegalArgumentException e) {
          throw new CtlError("--for: " + e.getMessage());
        }
        req.put("duration", p.options.get("--for"));
      }
      if (p.options.containsKey("--reason")) req.put("reason", p.options.get("--reason"));
      JsonObject body = object(call("POST", "/api/v1/blocks", req));
      if (json) {
        out.println(body.encodePrettily());
        return;
      }
      Long exp = body.getLong("expiresAt");
      out.println("Blocked " + Table.safe(body.getString("ip"), 45) + " on " + Table.safe(body.getString("host"), 63)
          + (exp == null ? " (permanent)." : " until " + java.time.Instant.ofEpochMilli(exp) + "."));
      if (!body.getBoolean("recorded", true)) out.println("Warning: the block is in place but was not recorded in the ledger.");
    }

    private void unblock(String ip) throws CtlError {
      Map<String, String> q = new LinkedHashMap<>();
      putOpt(q, "host", "--host");
      putOpt(q, "reason", "--reason");
      JsonObject body = object(call("DELETE", "/api/v1/blocks/" + enc(ip) + query(q), null));
      if (json) {
        out.println(body.encodePrettily());
        return;
      }
      out.println("Unblocked " + Table.safe(body.getString("ip"), 45) + " on " + Table.safe(body.getString("host"), 63) + ".");
      if (!body.getBoolean("recorded", true)) out.println("Warning: the block was lifted but the ledger was not updated.");
    }

    private void incidents() throws CtlError {
      long now = clock.millis();
      Map<String, String> q = new LinkedHashMap<>();
      putOpt(q, "host", "--host");
      putOpt(q, "since", "--since");
      putOpt(q, "until", "--until");
      putOpt(q, "severity", "--severity");
      putOpt(q, "rule", "--rule");
      q.put("limit", p.options.getOrDefault("--limit", "50"));
      JsonObject body = object(call("GET", "/api/v1/incidents" + query(q), null));
      if (json) {
        out.println(body.encodePrettily());
        return;
      }
      JsonArray items = body.getJsonArray("items", new JsonArray());
      if (items.isEmpty()) {
        out.println("No incidents.");
        return;
      }
      Table t = new Table("Fired", "Severity", "Host", "Rule", "State", "Description");
      for (Object o : items) {
        JsonObject i = (JsonObject) o;
        t.row(Table.relative(i.getLong("firedAt"), now), i.getString("severity"), i.getString("host"), i.getString("rule"),
            i.getString("state"), i.getString("description"));
      }
      out.print(t.render());
      if (body.getString("next") != null) out.println("(more: narrow with --since/--host or raise --limit)");
    }

    private void agents() throws CtlError {
      long now = clock.millis();
      Map<String, String> q = new LinkedHashMap<>();
      putOpt(q, "host", "--host");
      JsonObject body = object(call("GET", "/api/v1/agents" + query(q), null));
      if (json) {
        out.println(body.encodePrettily());
        return;
      }
      JsonArray items = body.getJsonArray("items", new JsonArray());
      if (items.isEmpty()) {
        out.println("No agents.");
        return;
      }
      Table t = new Table("Host", "Last Seen", "State", "Roles", "CPU %", "Mem %", "Version");
      for (Object o : items) {
        JsonObject a = (JsonObject) o;
        StringJoiner roles = new StringJoiner(",");
        a.getJsonObject("roles", new JsonObject()).forEach(e -> roles.add(e.getKey() + (e.getValue().equals("ok") ? "" : "(" + e.getValue() + ")")));
        JsonObject s = a.getJsonObject("summary", new JsonObject());
        t.row(a.getString("host"), Table.relative(a.getLong("lastSeen"), now), a.getBoolean("stale", false) ? "STALE" : "ok",
            roles.toString(), number(s.getValue("cpu_usage")), number(s.getValue("memory_usage")), a.getString("version"));
      }
      out.print(t.render());
    }

    private void status() throws CtlError {
      JsonObject h = object(call("GET", "/health", null));
      if (json) {
        out.println(h.encodePrettily());
        return;
      }
      out.println("Status:  " + Table.safe(h.getString("status"), 20));
      out.println("Host:    " + Table.safe(h.getString("host"), 63));
      out.println("Version: " + Table.safe(h.getString("version"), 40));
      out.println("Uptime:  " + Table.amount(h.getLong("uptime_secs", 0L)));
      JsonObject reasons = h.getJsonObject("reasons", new JsonObject());
      Table t = new Table("Role", "Status", "Reason");
      h.getJsonObject("roles", new JsonObject()).forEach(e -> t.row(e.getKey(), String.valueOf(e.getValue()),
          reasons.getString(e.getKey(), "")));
      if (!t.isEmpty()) out.print(t.render());
      JsonArray degraded = h.getJsonObject("fleet", new JsonObject()).getJsonArray("degraded", new JsonArray());
      if (!degraded.isEmpty()) out.println("Degraded elsewhere: " + Table.safe(degraded.encode(), 200));
    }

    private void reload() throws CtlError {
      JsonObject body = object(call("POST", "/api/v1/reload", null));
      out.println(json ? body.encodePrettily() : "Config reloaded.");
    }

    private void thaw(String pid) throws CtlError {
      if (!pid.matches("[1-9][0-9]{0,9}")) throw new CtlError("thaw: PID must be a positive integer");
      JsonObject req = new JsonObject();
      if (p.options.containsKey("--host")) req.put("host", p.options.get("--host"));
      if (p.options.containsKey("--start-time")) {
        try {
          req.put("startTime", Long.parseLong(p.options.get("--start-time")));
        } catch (NumberFormatException e) {
          throw new CtlError("--start-time: expected an integer");
        }
      }
      JsonObject body = object(call("POST", "/api/v1/processes/" + pid + "/thaw", req));
      if (json) {
        out.println(body.encodePrettily());
        return;
      }
      out.println("Thawed pid " + pid + " on " + Table.safe(body.getString("host"), 63) + ".");
    }

    private void putOpt(Map<String, String> q, String name, String option) {
      String v = p.options.get(option);
      if (v != null) q.put(name, v);
    }

    private String call(String method, String path, JsonObject body) throws CtlError {
      int status;
      String text;
      if (api.socket() != null) {
        UnixSocketHttp.Response r;
        try {
          r = UnixSocketHttp.exchange(api.socket(), method, path, body == null ? null : body.encode(), TIMEOUT);
        } catch (UnixSocketHttp.Failure e) {
          throw new CtlError(e.timedOut ? api.describe() + " did not answer in time"
              : "cannot talk to " + api.describe() + " (is PanicMode running?): " + e.getMessage());
        }
        status = r.status();
        text = r.body();
      } else {
        HttpResponse<String> resp = http(method, path, body);
        status = resp.statusCode();
        text = resp.body();
      }
      if (status >= 400) {
        String message = "HTTP " + status;
        try {
          JsonObject err = new JsonObject(text);
          String e = err.getString("error");
          if (e != null) message = e;
          // A rejected reload names each problem in the config.
          for (Object detail : err.getJsonArray("errors", new JsonArray())) message += "\n  " + detail;
        } catch (DecodeException | ClassCastException ignored) {
          // Not our JSON error body (a proxy's page, say): the status alone is the message.
        }
        if (status == 401) message += " (set PANICMODE_API_TOKEN or http_api.token in the config given with --config)";
        throw new CtlError(Table.safe(message, 500));
      }
      return text;
    }

    private HttpResponse<String> http(String method, String path, JsonObject body) throws CtlError {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(TIMEOUT)
          .header("Accept", "application/json");
      if (api.token() != null) b.header("Authorization", "Bearer " + api.token());
      if (body != null) {
        b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      if (client == null) client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      try {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException e) {
        throw new CtlError("cannot reach the PanicMode API at " + api.baseUrl() + " (is http_api.enabled true and the api role running?)");
      } catch (HttpTimeoutException e) {
        throw new CtlError("the PanicMode API at " + api.baseUrl() + " did not answer in time");
      } catch (IOException e) {
        throw new CtlError("request to " + api.baseUrl() + " failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CtlError("interrupted");
      }
    }
  }

  private static JsonObject object(String body) throws CtlError {
    try {
      return new JsonObject(body);
    } catch (DecodeException e) {
      throw new CtlError("the API sent a reply that is not JSON");
    }
  }

  private static String number(Object v) {
    return v instanceof Number n ? String.format(java.util.Locale.ROOT, "%.1f", n.doubleValue()) : "-";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String query(Map<String, String> q) {
    if (q.isEmpty()) return "";
    StringJoiner j = new StringJoiner("&", "?", "");
    q.forEach((k, v) -> j.add(enc(k) + "=" + enc(v)));
    return j.toString();
  }
}
