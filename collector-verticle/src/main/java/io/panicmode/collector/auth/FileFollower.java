package io.panicmode.collector.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows one log file as it grows, like {@code tail -F}, and hands complete lines to the
 * pipeline as soon as they are written: an inotify watch on the directory wakes it at once, a
 * re-check every {@value #RECHECK_MS} ms covers anything inotify did not report.
 * <ul>
 *   <li>Start: an existing file is followed from its end (history is not replayed at every
 *       restart); a file that appears later is read from its beginning.</li>
 *   <li>Rotation by rename: the path now names another file (inode); what was still written to
 *       the old file is read to its end, then the new file is read from its beginning.</li>
 *   <li>Copytruncate: the file got shorter than our position; reading restarts at 0. Lines written
 *       between the copy and the truncation are lost; no follower can see them.</li>
 *   <li>Missing file: nothing to read; checked again at every wake-up.</li>
 * </ul>
 */
public final class FileFollower implements AuthFeed {
  static final long RECHECK_MS = 250;

  private final Path path;
  private final AuthPipeline pipeline;
  private final LineSplitter splitter;
  private final Consumer<String> trouble;
  private final long recheckMs;
  private final LineSplitter.Sink sink;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
  private volatile boolean closed;
  private Thread thread;
  private WatchService ws;
  private FileChannel ch;
  private Object fileKey;
  private long pos;

  public FileFollower(Path path, int maxLineBytes, AuthPipeline pipeline, Consumer<String> trouble) {
    this(path, maxLineBytes, pipeline, trouble, RECHECK_MS);
  }

  /** With another re-check interval: a test sets it to hours to see that inotify alone wakes the follower. */
  FileFollower(Path path, int maxLineBytes, AuthPipeline pipeline, Consumer<String> trouble, long recheckMs) {
    this.recheckMs = recheckMs;
    this.path = path.toAbsolutePath();
    this.pipeline = pipeline;
    this.splitter = new LineSplitter(maxLineBytes);
    this.trouble = trouble;
    this.sink = new LineSplitter.Sink() {
      @Override public void line(byte[] b, int off, int len) { pipeline.syslogLine(b, off, len); }

      @Override public void tooLong() { pipeline.tooLong(); }
    };
  }

  @Override public String describe() { return "file " + path; }

  @Override
  public void start() {
    try {
      ws = FileSystems.getDefault().newWatchService();
      if (Files.isDirectory(path.getParent())) {
        path.getParent().register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    } catch (IOException e) {
      trouble.accept("cannot watch " + path.getParent() + " (" + e.getMessage() + "); polling every " + recheckMs + " ms");
    }
    openAtStart();
    thread = new Thread(this::loop, "panicmode-auth-follow");
    thread.setDaemon(true);
    thread.start();
  }

  void openAtStart() {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      ch = FileChannel.open(path, StandardOpenOption.READ);
      fileKey = a.fileKey();
      pos = ch.size();
    } catch (NoSuchFileException e) {
      ch = null;
    } catch (IOException e) {
      trouble.accept("cannot open " + path + ": " + e.getMessage());
    }
  }

  private void loop() {
    long lastCheck = 0;
    while (!closed) {
      try {
        boolean ours = false;
        if (ws != null) {
          var key = ws.poll(recheckMs, TimeUnit.MILLISECONDS);
          if (key != null) {
            // /var/log is busy with other files; only events naming ours (or an overflow) matter.
            for (var ev : key.pollEvents()) {
              ours |= ev.kind() == StandardWatchEventKinds.OVERFLOW || path.getFileName().equals(ev.context());
            }
            key.reset();
          }
        } else {
          Thread.sleep(recheckMs);
        }
        long now = System.nanoTime();
        if (!ours && now - lastCheck < recheckMs * 1_000_000L) continue;
        lastCheck = now;
        check();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (IOException e) {
        if (closed) return;
        trouble.accept("reading " + path + ": " + e.getMessage());
      }
    }
  }

  /** One round: drain, then detect rename, truncation or appearance. Package-visible for tests. */
  void check() throws IOException {
    if (ch != null) drain();
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return;
    }
    if (ch == null || !Objects.equals(a.fileKey(), fileKey)) {
      if (ch != null) {
        drain();
        ch.close();
      }
      splitter.reset();
      ch = FileChannel.open(path, StandardOpenOption.READ);
      fileKey = a.fileKey();
      pos = 0;
      drain();
    } else if (ch.size() < pos) {
      splitter.reset();
      pos = 0;
      drain();
    }
  }

  private void drain() throws IOException {
    while (true) {
      buf.clear();
      int n = ch.read(buf, pos);
      if (n <= 0) return;
      pos += n;
      splitter.feed(buf.array(), 0, n, sink);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) thread.interrupt();
    try {
      if (ws != null) ws.close();
      if (ch != null) ch.close();
    } catch (IOException e) {
      // Only descriptors are released here; nothing else depends on it.
    }
  }
}
