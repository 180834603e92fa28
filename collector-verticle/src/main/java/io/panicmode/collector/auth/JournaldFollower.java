package io.panicmode.collector.auth;

import io.panicmode.runtime.Backoff;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Follows journald through {@code journalctl -f -o json}, filtered to sshd's executables
 * ({@code _COMM=sshd}, {@code _COMM=sshd-session}, {@code _COMM=sshd-auth}). Starts at the journal's end; when journalctl
 * exits it is started again (the shared {@link Backoff}: 1 s doubling to 30 s, with jitter) after the last cursor seen, so nothing
 * between the two runs is lost or read twice. Output lines over {@value #MAX_JSON_LINE} bytes and
 * messages over {@code collector.max_line_bytes} are dropped and counted.
 */
public final class JournaldFollower implements AuthFeed {
  private static final Backoff RESTART = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
  static final int MAX_JSON_LINE = 256 * 1024;

  private final List<String> baseCommand;
  private final int maxLineBytes;
  private final AuthPipeline pipeline;
  private final Consumer<String> trouble;
  private volatile boolean closed;
  private volatile Process process;
  private Thread thread;
  private String cursor;

  /** @param journalctl the program (normally "journalctl"; tests pass a recorder) */
  public JournaldFollower(String journalctl, int maxLineBytes, AuthPipeline pipeline, Consumer<String> trouble) {
    this(List.of(journalctl, "-f", "-o", "json", "--no-pager"), maxLineBytes, pipeline, trouble);
  }

  JournaldFollower(List<String> baseCommand, int maxLineBytes, AuthPipeline pipeline, Consumer<String> trouble) {
    this.baseCommand = List.copyOf(baseCommand);
    this.maxLineBytes = maxLineBytes;
    this.pipeline = pipeline;
    this.trouble = trouble;
  }

  @Override public String describe() { return "journald"; }

  @Override
  public void start() {
    thread = new Thread(this::loop, "panicmode-auth-journald");
    thread.setDaemon(true);
    thread.start();
  }

  List<String> command() {
    List<String> cmd = new ArrayList<>(baseCommand);
    if (cursor == null) {
      cmd.add("-n");
      cmd.add("0");
    } else {
      cmd.add("--after-cursor=" + cursor);
    }
    cmd.add("_COMM=sshd");
    cmd.add("_COMM=sshd-session");
    cmd.add("_COMM=sshd-auth");
    return cmd;
  }

  private void loop() {
    int failures = 0;
    while (!closed) {
      long started = System.nanoTime();
      try {
        Process p = new ProcessBuilder(command()).redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        process = p;
        read(p.getInputStream());
        int code = p.waitFor();
        if (closed) return;
        trouble.accept("journalctl exited with status " + code + "; restarting");
      } catch (IOException e) {
        if (closed) return;
        trouble.accept("cannot run journalctl: " + e.getMessage());
      } catch (InterruptedException e) {
        return;
      }
      // A journalctl that ran a minute was healthy: its exit starts the backoff afresh.
      if (System.nanoTime() - started > 60_000_000_000L) failures = 0;
      try {
        Thread.sleep(RESTART.delay(failures++, ThreadLocalRandom.current()).toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void read(InputStream in) throws IOException {
    LineSplitter splitter = new LineSplitter(MAX_JSON_LINE);
    LineSplitter.Sink sink = new LineSplitter.Sink() {
      @Override public void line(byte[] b, int off, int len) { entry(new String(b, off, len, StandardCharsets.UTF_8)); }

      @Override public void tooLong() { pipeline.tooLong(); }
    };
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) > 0) splitter.feed(buf, 0, n, sink);
  }

  void entry(String json) {
    JournalEntry e = JournalEntry.parse(json);
    if (e == null) return;
    if (e.cursor() != null) cursor = e.cursor();
    if (e.message() == null) return;
    if (e.message().length > maxLineBytes) {
      pipeline.tooLong();
      return;
    }
    pipeline.journalMessage(e.message(), 0, e.message().length, e.pid(), e.tsMillis());
  }

  @Override
  public void close() {
    closed = true;
    Process p = process;
    if (p != null) p.destroyForcibly();
    if (thread != null) thread.interrupt();
  }
}
