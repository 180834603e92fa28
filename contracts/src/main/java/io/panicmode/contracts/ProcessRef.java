package io.panicmode.contracts;

import io.vertx.core.json.JsonObject;

/**
 * A process identified by pid and its start time (clock ticks since boot, field 22 of
 * /proc/PID/stat), so that a recycled pid is never mistaken for the process we meant.
 */
public record ProcessRef(int pid, long startTime, String name) {
  public ProcessRef {
    if (pid <= 0) throw new MessageFormatException("ProcessRef.pid: must be > 0, got " + pid);
    if (startTime < 0) throw new MessageFormatException("ProcessRef.startTime: must be >= 0, got " + startTime);
    if (name == null) name = "";
  }

  public JsonObject toJson() {
    return new JsonObject().put("pid", pid).put("startTime", startTime).put("name", name);
  }

  public static ProcessRef fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "ProcessRef");
    ProcessRef p = new ProcessRef(f.integer("pid"), f.lng("startTime"), f.str("name"));
    f.done();
    return p;
  }
}
