package io.panicmode.action.exec;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program the only way the action verticle ever does: an argv list (never a
 * shell, so no argument is ever interpreted), a cleared environment plus exactly the variables
 * given, stdin from /dev/null, stdout and stderr merged and captured up to a cap (the rest is
 * read and discarded so the child never blocks on a full pipe), and a hard timeout after which the
 * process and its descendants are killed.
 */
public final class ProcessRunner {
  private ProcessRunner() {}

  public static final String SAFE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** How the run ended. {@code exitCode} is -1 when it timed out or could not start. */
  public record Result(int exitCode, boolean timedOut, String output, boolean truncated, String startError) {
    public boolean ok() { return exitCode == 0 && !timedOut && startError == null; }

    /** One line for logs and results: why it did not succeed. */
    public String describe() {
      if (startError != null) return "could not start: " + startError;
      if (timedOut) return "timed out";
      return "exit code " + exitCode;
    }
  }

  /**
   * Runs the program to its end. Blocking: call it on a worker thread.
   *
   * @param argv      program (absolute path) and arguments, each one element
   * @param env       the complete environment of the child
   * @param stdin     bytes written to the child's stdin, or null for /dev/null
   * @param timeout   kill after this long
   * @param outputCap bytes of output kept
   */
  public static Result run(List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout, int outputCap) {
    return start(argv, env, stdin, timeout, outputCap).await();
  }

  /**
   * Starts the program and returns once it runs, without waiting for it: the block script of a ban
   * starts on the thread that decided the ban, and a worker waits for its end ({@link Running#await}).
   * Short (the program is started, its output reader too, its stdin written), so an event loop may
   * call it for a few programs at a time; arguments as for {@link #run}.
   */
  public static Running start(List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout, int outputCap) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Running(null, null, null, deadline, e.getMessage());
    }
    Capture capture = new Capture(p.getInputStream(), outputCap);
    Thread reader = new Thread(capture, "panicmode-exec-output");
    reader.setDaemon(true);
    reader.start();
    if (stdin != null) {
      try (OutputStream os = p.getOutputStream()) {
        os.write(stdin);
      } catch (IOException e) {
        // The child closed its stdin early; its exit code says whether that was a failure.
      }
    }
    return new Running(p, capture, reader, deadline, null);
  }

  /** A program started by {@link #start}. */
  public static final class Running {
    private final Process process;
    private final Capture capture;
    private final Thread reader;
    private final long deadlineNanos;
    private final String startError;

    private Running(Process process, Capture capture, Thread reader, long deadlineNanos, String startError) {
      this.process = process;
      this.capture = capture;
      this.reader = reader;
      this.deadlineNanos = deadlineNanos;
      this.startError = startError;
    }

    /**
     * Waits for the end, at most until the timeout counted from the start, after which the process
     * and its descendants are killed. Blocking: call it on a worker thread.
     */
    public Result await() {
      if (startError != null) return new Result(-1, false, "", false, startError);
      Process p = process;
      boolean finished;
      try {
        finished = p.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finished = false;
      }
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
          p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        reader.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Result(finished ? p.exitValue() : -1, !finished, capture.text(), capture.truncated, null);
    }
  }

  private static final class Capture implements Runnable {
    private final InputStream in;
    private final int cap;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private volatile boolean truncated;

    Capture(InputStream in, int cap) {
      this.in = in;
      this.cap = cap;
    }

    @Override
    public void run() {
      byte[] chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          synchronized (buf) {
            int keep = Math.max(0, Math.min(n, cap - buf.size()));
            buf.write(chunk, 0, keep);
            if (keep < n) truncated = true;
          }
        }
      } catch (IOException e) {
        // The process was killed or closed its output: what was read so far is the output.
      }
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
