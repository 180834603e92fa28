package io.panicmode.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A PanicMode JVM started from the shaded jar by a test, with its output in a file. Ended by pid. */
final class PanicProcess implements AutoCloseable {
  static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx64m", "-Xss256k", "-XX:TieredStopAtLevel=1",
      "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=24m", "-XX:MaxMetaspaceSize=96m",
      "-XX:MaxDirectMemorySize=32m", "-Dio.netty.allocator.type=unpooled", "-Dvertx.disableDnsResolver=true",
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-XX:-UsePerfData");

  final String name;
  final Process process;
  final Path log;
  final long startedNanos;
  /** The JVM's own java.io.tmpdir (Vert.x file cache, SQLite's native library), removed on close. */
  private final Path jvmTmp;

  private PanicProcess(String name, Process process, Path log, long startedNanos, Path jvmTmp) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
    this.jvmTmp = jvmTmp;
  }

  static Path jar() {
    String p = System.getProperty("panicmode.jar");
    Path jar = p != null ? Path.of(p) : Path.of("target/panicmode.jar");
    if (!Files.exists(jar)) throw new IllegalStateException("shaded jar missing: " + jar + " (run mvn package first)");
    return jar.toAbsolutePath();
  }

  static PanicProcess start(String name, Path workDir, Map<String, String> env, String... args) throws IOException {
    return startWrapped(List.of(), name, workDir, env, args);
  }

  /** Starts the JVM under a wrapper command such as {@code setpriv …} or {@code ip netns exec NS}. */
  static PanicProcess startWrapped(List<String> wrapper, String name, Path workDir, Map<String, String> env,
                                   String... args) throws IOException {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_FLAGS);
    // Not the test's work dir: a test may fill that disk on purpose. World-writable, for a JVM
    // started as another user.
    Path jvmTmp = Files.createTempDirectory("panicmode-it-jvm-");
    Files.setPosixFilePermissions(jvmTmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    cmd.add("-Djava.io.tmpdir=" + jvmTmp);
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    Path log = workDir.resolve(name + ".out");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    return new PanicProcess(name, pb.start(), log, System.nanoTime(), jvmTmp);
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The JVM's pid: the wrapper's only child when started wrapped (setpriv and ip netns exec exec into it). */
  long pid() { return process.pid(); }

  /** Resident set size in KiB, from /proc/PID/status. */
  long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    return -1;
  }

  void sigterm() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-TERM", String.valueOf(pid())).start().waitFor();
  }

  void sigkill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every TCP socket this process listens on and every UDP socket it holds, as "proto local-address". */
  List<String> sockets() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
        } catch (IOException ignored) {
          // fd closed while listing
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String proto : List.of("tcp", "tcp6", "udp", "udp6")) {
      List<String> lines = Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "net", proto));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (!inodes.contains(f[9])) continue;
        boolean listening = f[3].equals("0A");
        if (proto.startsWith("tcp") && !listening) continue;
        out.add(proto + " " + f[1]);
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (process.isAlive()) sigkill();
    try (var files = Files.walk(jvmTmp)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Already gone.
    }
  }

  /** The last {@code tail} characters of each process's output, for assertion messages. */
  static String logs(List<PanicProcess> all, int tail) {
    StringBuilder sb = new StringBuilder();
    for (PanicProcess p : all) {
      String out = p.output();
      sb.append("---- ").append(p.name).append(" ----\n").append(out.length() > tail ? out.substring(out.length() - tail) : out);
    }
    return sb.toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** True when the daemon on {@code port} answers /health with status ok. */
  static boolean healthy(int port) {
    try {
      HttpResponse<String> r = get("http://127.0.0.1:" + port + "/health");
      return r.statusCode() == 200 && r.body().contains("\"status\":\"ok\"");
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** POSTs {@code body} (JSON, may be empty) to the daemon on {@code port}, with the bearer token unless it is null. */
  static HttpResponse<String> post(int port, String path, String token, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
