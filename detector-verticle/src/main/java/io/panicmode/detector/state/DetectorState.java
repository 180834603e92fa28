package io.panicmode.detector.state;

import io.panicmode.contracts.Incident;
import io.panicmode.detector.claims.Claims;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What survives a restart. On disk it is the Rust daemon's state JSON extended:
 * <pre>
 * {"incidents": {"host|rule|subject": unix_secs, ...},   // dedup claims, as before
 *  "dedup_window_secs": 300,
 *  "version": 2, "saved_at": epoch_ms,
 *  "claims": [{"key", "id", "at", "window_ms"}],         // dedup and rate-limit claims, exact
 *  "active": [{"incident": {...}, "remaining": [subject keys], "alerted": bool}],
 *  "auth_windows": {"rule": {"ip": [epoch_ms, ...]}}}
 * </pre>
 * A file with only the old keys is read as dedup claims with no incident id.
 */
public record DetectorState(List<Claims.Record> claims, List<ActiveIncident> active,
                            Map<String, Map<String, long[]>> authWindows, long dedupWindowMs, long savedAt) {
  public static final int VERSION = 2;

  /** An incident that was firing when the state was saved, and its subjects still firing. */
  public record ActiveIncident(Incident incident, List<String> remaining, boolean alerted) {}

  public static DetectorState empty(long dedupWindowMs) {
    return new DetectorState(List.of(), List.of(), Map.of(), dedupWindowMs, 0);
  }

  public JsonObject toJson() {
    JsonObject legacy = new JsonObject();
    JsonArray cl = new JsonArray();
    for (Claims.Record r : claims) {
      if (r.windowMs() == dedupWindowMs) legacy.put(r.key(), r.at() / 1000);
      cl.add(new JsonObject().put("key", r.key()).put("id", r.id()).put("at", r.at()).put("window_ms", r.windowMs()));
    }
    JsonArray act = new JsonArray();
    for (ActiveIncident a : active) {
      act.add(new JsonObject().put("incident", a.incident().toJson())
          .put("remaining", new JsonArray(new ArrayList<>(a.remaining()))).put("alerted", a.alerted()));
    }
    JsonObject windows = new JsonObject();
    authWindows.forEach((rule, ips) -> {
      JsonObject o = new JsonObject();
      ips.forEach((ip, ts) -> {
        JsonArray a = new JsonArray();
        for (long t : ts) a.add(t);
        o.put(ip, a);
      });
      windows.put(rule, o);
    });
    return new JsonObject().put("incidents", legacy).put("dedup_window_secs", dedupWindowMs / 1000)
        .put("version", VERSION).put("saved_at", savedAt).put("claims", cl).put("active", act)
        .put("auth_windows", windows);
  }

  /** Reads either shape; throws IllegalArgumentException (with the field) when the file is not a state file. */
  public static DetectorState fromJson(JsonObject o, long dedupWindowMs) {
    try {
      List<Claims.Record> claims = new ArrayList<>();
      if (o.containsKey("claims")) {
        for (Object x : o.getJsonArray("claims")) {
          JsonObject c = (JsonObject) x;
          claims.add(new Claims.Record(c.getString("key"), c.getString("id"), c.getLong("at"), c.getLong("window_ms")));
        }
      } else {
        JsonObject legacy = o.getJsonObject("incidents", new JsonObject());
        long window = o.containsKey("dedup_window_secs") ? o.getLong("dedup_window_secs") * 1000 : dedupWindowMs;
        for (String k : legacy.fieldNames()) claims.add(new Claims.Record(k, "", legacy.getLong(k) * 1000, window));
      }
      List<ActiveIncident> active = new ArrayList<>();
      for (Object x : o.getJsonArray("active", new JsonArray())) {
        JsonObject a = (JsonObject) x;
        List<String> remaining = new ArrayList<>();
        for (Object s : a.getJsonArray("remaining")) remaining.add((String) s);
        active.add(new ActiveIncident(Incident.fromJson(a.getJsonObject("incident")), remaining, a.getBoolean("alerted")));
      }
      Map<String, Map<String, long[]>> windows = new LinkedHashMap<>();
      JsonObject w = o.getJsonObject("auth_windows", new JsonObject());
      for (String rule : w.fieldNames()) {
        Map<String, long[]> ips = new LinkedHashMap<>();
        JsonObject r = w.getJsonObject(rule);
        for (String ip : r.fieldNames()) {
          JsonArray a = r.getJsonArray(ip);
          long[] ts = new long[a.size()];
          for (int i = 0; i < ts.length; i++) ts[i] = a.getLong(i);
          ips.put(ip, ts);
        }
        windows.put(rule, ips);
      }
      return new DetectorState(claims, active, windows, dedupWindowMs, o.getLong("saved_at", 0L));
    } catch (ClassCastException | NullPointerException | io.panicmode.contracts.MessageFormatException e) {
      throw new IllegalArgumentException("not a detector state file: " + e.getMessage(), e);
    }
  }
}
