package io.panicmode.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What an incident is about, structured. Actions act on these lists only; nothing is ever
 * parsed back out of an incident's human-readable text.
 *
 * @param ips      remote IP addresses, canonical form (IPv4-mapped IPv6 already reduced to IPv4)
 * @param processes processes by pid and start time
 * @param paths    file-system paths (file_monitor)
 * @param mounts   mount points (disk_usage)
 * @param devices  block devices (disk_io)
 * @param metrics  custom metric names (custom)
 */
public record Subjects(List<String> ips, List<ProcessRef> processes, List<String> paths,
                       List<String> mounts, List<String> devices, List<String> metrics) {
  public static final Subjects NONE = new Subjects(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

  public Subjects {
    ips = List.copyOf(ips);
    processes = List.copyOf(processes);
    paths = List.copyOf(paths);
    mounts = List.copyOf(mounts);
    devices = List.copyOf(devices);
    metrics = List.copyOf(metrics);
  }

  public static Subjects ofIps(List<String> ips) { return NONE.withIps(ips); }

  public Subjects withIps(List<String> v) { return new Subjects(v, processes, paths, mounts, devices, metrics); }
  public Subjects withProcesses(List<ProcessRef> v) { return new Subjects(ips, v, paths, mounts, devices, metrics); }
  public Subjects withPaths(List<String> v) { return new Subjects(ips, processes, v, mounts, devices, metrics); }
  public Subjects withMounts(List<String> v) { return new Subjects(ips, processes, paths, v, devices, metrics); }
  public Subjects withDevices(List<String> v) { return new Subjects(ips, processes, paths, mounts, v, metrics); }
  public Subjects withMetrics(List<String> v) { return new Subjects(ips, processes, paths, mounts, devices, v); }

  public boolean isEmpty() {
    return ips.isEmpty() && processes.isEmpty() && paths.isEmpty() && mounts.isEmpty() && devices.isEmpty() && metrics.isEmpty();
  }

  public JsonObject toJson() {
    JsonArray procs = new JsonArray();
    processes.forEach(p -> procs.add(p.toJson()));
    return new JsonObject()
        .put("ips", new JsonArray(new ArrayList<>(ips)))
        .put("processes", procs)
        .put("paths", new JsonArray(new ArrayList<>(paths)))
        .put("mounts", new JsonArray(new ArrayList<>(mounts)))
        .put("devices", new JsonArray(new ArrayList<>(devices)))
        .put("metrics", new JsonArray(new ArrayList<>(metrics)));
  }

  public static Subjects fromJson(JsonObject json) {
    JsonFields f = JsonFields.of(json, "Subjects");
    JsonArray procs = f.arr("processes");
    List<ProcessRef> refs = new ArrayList<>();
    for (int i = 0; i < procs.size(); i++) {
      if (!(procs.getValue(i) instanceof JsonObject o)) throw f.error("processes[" + i + "]", "expected object");
      refs.add(ProcessRef.fromJson(o));
    }
    Subjects s = new Subjects(f.strings("ips"), refs, f.strings("paths"), f.strings("mounts"),
        f.strings("devices"), f.strings("metrics"));
    f.done();
    return s;
  }
}
