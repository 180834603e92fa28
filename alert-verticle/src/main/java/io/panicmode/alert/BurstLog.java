package io.panicmode.alert;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Writes the first warning of a burst and folds the rest of the burst into one summary line when
 * the window closes, so a channel that fails 200 alerts in a row writes two lines, not 200 (each
 * failure is still counted in the channel's metrics). Confined to one event loop.
 */
final class BurstLog {
  private final Consumer<String> sink;
  private final long windowMillis;
  /** Runs the given action after the given milliseconds (a Vert.x timer in production). */
  private final BiConsumer<Long, Runnable> later;

  private boolean open;
  private int suppressed;
  private String latest;

  BurstLog(Consumer<String> sink, long windowMillis, BiConsumer<Long, Runnable> later) {
    this.sink = sink;
    this.windowMillis = windowMillis;
    this.later = later;
  }

  void warn(String line) {
    if (open) {
      suppressed++;
      latest = line;
      return;
    }
    sink.accept(line);
    open = true;
    later.accept(windowMillis, this::closeWindow);
  }

  /** Writes the summary of the burst so far at once (the lane is closing; its timer may never fire). */
  void flush() {
    if (suppressed > 0) {
      sink.accept("and " + suppressed + " more like it, the latest: " + latest);
    }
    suppressed = 0;
    latest = null;
  }

  private void closeWindow() {
    flush();
    open = false;
  }
}
