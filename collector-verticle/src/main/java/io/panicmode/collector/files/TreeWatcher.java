package io.panicmode.collector.files;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counts file-system events under watched paths within a sliding aggregation window. A watched
 * directory is watched recursively (new subdirectories are added as they appear, symlinks are
 * not followed); a watched file is watched through its parent directory, filtered to its name.
 * A path that does not exist is reported missing and checked again at every {@link #snapshot},
 * and its appearance counts as one event. Per path at most {@code maxEventsPerPath} events are
 * kept in the window; the rest are dropped and counted. At most {@link #MAX_DIRECTORIES}
 * directories are watched in total (each costs an inotify watch); the rest are counted as skipped.
 */
public final class TreeWatcher implements AutoCloseable {
  public static final int MAX_DIRECTORIES = 8192;

  private record Target(String root, String onlyName) {}

  private static final class Window {
    final ArrayDeque<Long> times = new ArrayDeque<>();
  }

  private final List<String> roots;
  private final int maxEvents;
  private final long windowMillis;
  private final LongSupplier millis;
  private final LongAdder dropped;
  private final LongAdder skippedDirs;
  private final WatchService ws;
  private final Map<WatchKey, Path> keyDirs = new ConcurrentHashMap<>();
  private final Map<WatchKey, List<Target>> keyTargets = new ConcurrentHashMap<>();
  private final Map<String, Window> windows = new LinkedHashMap<>();
  private final Map<String, Boolean> missing = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  public TreeWatcher(List<String> paths, int maxEventsPerPath, long windowMillis, LongSupplier millis,
                     LongAdder dropped, LongAdder skippedDirs) throws IOException {
    this.roots = List.copyOf(paths);
    this.maxEvents = maxEventsPerPath;
    this.windowMillis = windowMillis;
    this.millis = millis;
    this.dropped = dropped;
    this.skippedDirs = skippedDirs;
    this.ws = FileSystems.getDefault().newWatchService();
    for (String r : roots) {
      windows.put(r, new Window());
      if (!register(r)) missing.put(r, true);
    }
    thread = new Thread(this::loop, "panicmode-file-monitor");
    thread.setDaemon(true);
    thread.start();
  }

  /** Events per watched path in the current window, and the paths currently missing. */
  public record Snapshot(Map<String, Integer> counts, List<String> missing) {}

  public Snapshot snapshot() {
    for (String r : roots) {
      if (missing.containsKey(r) && register(r)) {
        missing.remove(r);
        record(r);
      }
    }
    long cutoff = millis.getAsLong() - windowMillis;
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<String> gone = new ArrayList<>();
    for (String r : roots) {
      if (missing.containsKey(r)) {
        gone.add(r);
        continue;
      }
      Window w = windows.get(r);
      synchronized (w) {
        evict(w, cutoff);
        counts.put(r, w.times.size());
      }
    }
    return new Snapshot(counts, gone);
  }

  private boolean register(String root) {
    Path p = Path.of(root);
    try {
      if (Files.isDirectory(p)) {
        // A configured root that is a symlink to a directory is watched at its target.
        registerTree(p.toRealPath(), root);
        return true;
      }
      if (Files.exists(p)) {
        Path parent = p.toAbsolutePath().getParent();
        add(parent, new Target(root, p.getFileName().toString()));
        return true;
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** True once {@code dir} (a real path) has a watch: a test waits on it instead of sleeping. */
  boolean watches(Path dir) { return keyDirs.containsValue(dir); }

  private void registerTree(Path top, String root) throws IOException {
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (keyDirs.size() >= MAX_DIRECTORIES) {
          skippedDirs.increment();
          return FileVisitResult.SKIP_SUBTREE;
        }
        try {
          add(dir, new Target(root, null));
        } catch (IOException e) {
          skippedDirs.increment();
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void add(Path dir, Target t) throws IOException {
    WatchKey k = dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
        StandardWatchEventKinds.ENTRY_MODIFY);
    keyDirs.put(k, dir);
    keyTargets.compute(k, (kk, list) -> {
      List<Target> l = list == null ? new ArrayList<>() : new ArrayList<>(list);
      if (!l.contains(t)) l.add(t);
      return List.copyOf(l);
    });
  }

  private void loop() {
    while (!closed) {
      WatchKey key;
      try {
        key = ws.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      Path dir = keyDirs.get(key);
      List<Target> targets = keyTargets.getOrDefault(key, List.of());
      for (WatchEvent<?> ev : key.pollEvents()) {
        Object ctx = ev.context();
        String name = ctx instanceof Path p ? p.toString() : null;
        for (Target t : targets) {
          if (t.onlyName != null && ev.kind() != StandardWatchEventKinds.OVERFLOW && !t.onlyName.equals(name)) continue;
          record(t.root);
          if (t.onlyName == null && ev.kind() == StandardWatchEventKinds.ENTRY_CREATE && dir != null && name != null) {
            Path child = dir.resolve(name);
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
              try {
                registerTree(child, t.root);
              } catch (IOException e) {
                skippedDirs.increment();
              }
            }
          }
        }
      }
      if (!key.reset()) {
        keyDirs.remove(key);
        keyTargets.remove(key);
        for (Target t : targets) {
          if (!Files.exists(Path.of(t.root))) missing.put(t.root, true);
        }
      }
    }
  }

  private void record(String root) {
    Window w = windows.get(root);
    if (w == null) return;
    long now = millis.getAsLong();
    synchronized (w) {
      evict(w, now - windowMillis);
      if (w.times.size() >= maxEvents) {
        dropped.increment();
      } else {
        w.times.addLast(now);
      }
    }
  }

  private static void evict(Window w, long cutoff) {
    while (!w.times.isEmpty() && w.times.peekFirst() <= cutoff) w.times.removeFirst();
  }

  @Override
  public void close() {
    closed = true;
    try {
      ws.close();
    } catch (IOException e) {
      // Closing only releases the inotify descriptor; nothing to recover.
    }
    thread.interrupt();
  }
}
