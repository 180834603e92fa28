package io.panicmode.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.AuthEvent;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.MetricsSnapshot;
import io.panicmode.contracts.Subjects;
import io.panicmode.detector.claims.Claims;
import io.panicmode.detector.claims.MemoryClaimStore;
import io.panicmode.detector.state.DetectorState;
import io.panicmode.detector.state.StateFile;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every folder under {@code scenarios/}: {@code rules.yaml} (a config file),
 * {@code events.jsonl} (input on a fake clock, {@code t} in seconds) and {@code expected.jsonl}
 * (every incident event the detector must emit, in order, and nothing else). See
 * {@code scenarios/README.md} for the line formats.
 */
class ScenarioTest {
  static final String HOST = "test-host";
  static final long BASE = 1_700_000_000_000L;

  @TempDir Path tmp;

  static Stream<String> scenarios() throws IOException, URISyntaxException {
    Path root = Path.of(ScenarioTest.class.getResource("/scenarios").toURI());
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  /** One emitted incident event as the harness saw it. */
  static final class Seen {
    final String detector;
    final String event;
    final Incident incident;
    final List<ActionCommand> commands;
    boolean alert;

    Seen(String detector, String event, Incident incident, List<ActionCommand> commands, boolean alert) {
      this.detector = detector;
      this.event = event;
      this.incident = incident;
      this.commands = commands;
      this.alert = alert;
    }

    @Override
    public String toString() {
      return "{t=" + (incident.isResolved() ? (incident.resolvedAt() - BASE) : (incident.firedAt() - BASE)) / 1000.0
          + ", detector=" + detector + ", event=" + event + ", rule=" + incident.rule() + ", subjects="
          + incident.subjects().toJson().encode() + ", value=" + incident.value() + ", severity="
          + incident.severity().wire() + ", commands=" + commandStrings(commands) + ", alert=" + alert + "}";
    }
  }

  /** One detector under test: its core, claims and metrics; restart replaces the core. */
  final class Node {
    final String name;
    MemoryClaimStore store;
    DetectorCore core;
    /** What the daemon would have written to its state file at the last change (its saves follow changes). */
    JsonObject lastSaved;
    MetricsRegistry metrics = new MetricsRegistry();

    Node(String name, MemoryClaimStore store) {
      this.name = name;
      this.store = store;
      this.core = newCore();
    }

    DetectorCore newCore() {
      Outputs rec = new Outputs() {
        @Override
        public void fired(Incident incident, List<ActionCommand> commands) {
          for (ActionCommand c : commands) {
            assertEquals(HOST, c.host());
            assertEquals("detector", c.issuedBy());
            assertEquals(incident.id(), c.incident().id());
          }
          seen.add(new Seen(name, "fired", incident, commands, false));
        }

        @Override
        public void alert(Incident incident) {
          for (int i = seen.size() - 1; i >= 0; i--) {
            Seen s = seen.get(i);
            if (s.incident.id().equals(incident.id()) && s.event.equals("fired")) {
              s.alert = true;
              return;
            }
          }
          fail("alert for an incident that never fired: " + incident.id());
        }

        @Override
        public void resolved(Incident incident, boolean alert) {
          assertTrue(incident.isResolved());
          assertTrue(seen.stream().anyMatch(s -> s.event.equals("fired") && s.incident.id().equals(incident.id())),
              "resolved incident " + incident.id() + " never fired");
          seen.add(new Seen(name, "resolved", incident, List.of(), alert));
        }
      };
      Claims claims = new Claims(store, config.detector().maxTrackedSubjects(), new LongAdder());
      DetectorCore c = new DetectorCore(config, HOST, clock, claims, rec, metrics);
      c.onChange(() -> lastSaved = c.snapshot().toJson());
      return c;
    }

    /** kill -9: no save at stop, the new detector starts from the state written at the last change. */
    void crash() throws IOException {
      Path file = tmp.resolve(name + "-state.json");
      if (lastSaved != null) StateFile.save(file, lastSaved);
      DetectorState st = lastSaved == null ? DetectorState.empty(config.detector().dedupWindow().toMillis())
          : StateFile.load(file, config.detector().dedupWindow().toMillis());
      store = new MemoryClaimStore(clock::millis);
      core = newCore();
      assertTrue(core.restore(st).succeeded());
    }

    void restart(boolean freshStore) throws IOException {
      Path file = tmp.resolve(name + "-state.json");
      StateFile.save(file, core.snapshot().toJson());
      DetectorState st = StateFile.load(file, config.detector().dedupWindow().toMillis());
      if (freshStore) store = new MemoryClaimStore(clock::millis);
      core = newCore();
      assertTrue(core.restore(st).succeeded());
    }
  }

  PanicConfig config;
  ManualClock clock;
  final List<Seen> seen = new ArrayList<>();
  final Map<String, Node> nodes = new LinkedHashMap<>();

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(String name) throws Exception {
    Path dir = Path.of(ScenarioTest.class.getResource("/scenarios/" + name).toURI());
    config = ConfigLoader.parse(Files.readString(dir.resolve("rules.yaml")), name + "/rules.yaml", Map.of());
    clock = new ManualClock(BASE);
    MemoryClaimStore shared = new MemoryClaimStore(clock::millis);
    List<JsonObject> events = lines(dir.resolve("events.jsonl"));
    for (JsonObject e : events) {
      String d = e.getString("detector", "a");
      if (!d.equals("*")) nodes.computeIfAbsent(d, n -> new Node(n, shared));
    }
    nodes.computeIfAbsent("a", n -> new Node(n, shared));
    for (JsonObject e : events) apply(e);

    List<JsonObject> expected = new ArrayList<>();
    Map<String, Long> counters = new HashMap<>();
    for (JsonObject x : lines(dir.resolve("expected.jsonl"))) {
      if (x.containsKey("counter")) counters.put(x.getString("counter"), x.getLong("value"));
      else expected.add(x);
    }
    StringBuilder got = new StringBuilder();
    seen.forEach(s -> got.append("\n  ").append(s));
    assertEquals(expected.size(), seen.size(), name + ": number of incident events; got:" + got);
    for (int i = 0; i < expected.size(); i++) match(name + " line " + (i + 1), expected.get(i), seen.get(i), got);
    counters.forEach((counter, value) -> {
      long sum = nodes.values().stream().mapToLong(n -> n.metrics.counterTotal(counter)).sum();
      assertEquals(value.longValue(), sum, name + ": counter " + counter);
    });
  }

  private void apply(JsonObject e) throws IOException {
    int repeat = e.getInteger("repeat", 1);
    double every = e.getDouble("every", 0.0);
    for (int i = 0; i < repeat; i++) {
      clock.set(BASE + Math.round((e.getDouble("t") + i * every) * 1000));
      List<Node> targets = targets(e.getString("detector", "a"));
      for (Node n : targets) n.core.tick();
      if (e.containsKey("auth")) {
        JsonObject a = e.getJsonObject("auth");
        String ip = a.getString("ip").replace("{i}", Integer.toString(i + 1));
        AuthEvent ev = new AuthEvent(HOST, clock.millis(), ip, a.getString("user", "root"),
            a.getString("kind", "failed_password"), a.getInteger("port", 22));
        for (Node n : targets) n.core.onAuth(ev);
      } else if (e.containsKey("metrics")) {
        MetricsSnapshot s = snapshot(e.getJsonObject("metrics"));
        for (Node n : targets) n.core.onMetrics(s);
      } else if (e.containsKey("restart")) {
        for (Node n : targets) n.restart(nodes.size() == 1);
      } else if (e.containsKey("crash")) {
        for (Node n : targets) n.crash();
      } else if (!e.getBoolean("tick", false)) {
        fail("event line without auth, metrics, restart or tick: " + e.encode());
      }
    }
  }

  private List<Node> targets(String d) {
    if (d.equals("*")) return new ArrayList<>(nodes.values());
    return List.of(nodes.get(d));
  }

  private MetricsSnapshot snapshot(JsonObject m) {
    Map<String, Double> gauges = new LinkedHashMap<>();
    m.getJsonObject("gauges", new JsonObject()).forEach(x -> gauges.put(x.getKey(), ((Number) x.getValue()).doubleValue()));
    Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    m.getJsonObject("series", new JsonObject()).forEach(x -> {
      Map<String, Double> v = new LinkedHashMap<>();
      ((JsonObject) x.getValue()).forEach(y -> v.put(y.getKey(), ((Number) y.getValue()).doubleValue()));
      series.put(x.getKey(), v);
    });
    Map<String, String> unavailable = new LinkedHashMap<>();
    m.getJsonObject("unavailable", new JsonObject()).forEach(x -> unavailable.put(x.getKey(), (String) x.getValue()));
    return new MetricsSnapshot(HOST, clock.millis(), gauges, series, unavailable);
  }

  private static void match(String where, JsonObject want, Seen got, StringBuilder all) {
    String ctx = where + ": want " + want.encode() + "; got:" + all;
    assertEquals(want.getString("event"), got.event, ctx);
    Incident inc = got.incident;
    long at = got.event.equals("resolved") ? inc.resolvedAt() : inc.firedAt();
    if (want.containsKey("t")) assertEquals(Math.round(want.getDouble("t") * 1000), at - BASE, ctx);
    if (want.containsKey("rule")) assertEquals(want.getString("rule"), inc.rule(), ctx);
    if (want.containsKey("detector")) assertEquals(want.getString("detector"), got.detector, ctx);
    if (want.containsKey("severity")) assertEquals(want.getString("severity"), inc.severity().wire(), ctx);
    if (want.containsKey("value")) assertEquals(want.getDouble("value"), inc.value(), 1e-9, ctx);
    if (want.containsKey("alert")) assertEquals(want.getBoolean("alert"), got.alert, ctx);
    if (want.containsKey("subjects")) {
      JsonObject ws = want.getJsonObject("subjects");
      Subjects s = inc.subjects();
      assertEquals(list(ws, "ips"), s.ips(), ctx);
      assertEquals(list(ws, "mounts"), s.mounts(), ctx);
      assertEquals(list(ws, "paths"), s.paths(), ctx);
      assertEquals(list(ws, "devices"), s.devices(), ctx);
      assertEquals(list(ws, "metrics"), s.metrics(), ctx);
    }
    if (want.containsKey("commands")) assertEquals(list(want, "commands"), commandStrings(got.commands), ctx);
    if (want.containsKey("description")) assertEquals(want.getString("description"), inc.description(), ctx);
    assertNotNull(inc.id());
  }

  private static List<String> list(JsonObject o, String key) {
    List<String> out = new ArrayList<>();
    for (Object x : o.getJsonArray(key, new JsonArray())) out.add((String) x);
    return out;
  }

  /** "op", "op:target", "op ip1,ip2": what a command asks for, compactly. */
  static List<String> commandStrings(List<ActionCommand> cmds) {
    List<String> out = new ArrayList<>();
    for (ActionCommand c : cmds) {
      String s = c.target().isEmpty() ? c.op() : c.op() + ":" + c.target();
      if (!c.ips().isEmpty()) s += " " + String.join(",", c.ips());
      out.add(s);
    }
    return out;
  }

  private static List<JsonObject> lines(Path p) throws IOException {
    List<JsonObject> out = new ArrayList<>();
    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      out.add(new JsonObject(l));
    }
    return out;
  }
}
