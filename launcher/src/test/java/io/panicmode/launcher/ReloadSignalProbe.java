package io.panicmode.launcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Child JVM for {@link ReloadSignalTest}: installs the handler, sends itself SIGHUP, reports what happened. */
public final class ReloadSignalProbe {
  private ReloadSignalProbe() {}

  public static void main(String[] args) throws Exception {
    CountDownLatch reloaded = new CountDownLatch(1);
    boolean installed = ReloadSignal.install(reloaded::countDown);
    System.out.println("installed=" + installed);
    if (installed) {
      new ProcessBuilder("kill", "-HUP", String.valueOf(ProcessHandle.current().pid())).start().waitFor();
      System.out.println("reloaded=" + reloaded.await(20, TimeUnit.SECONDS));
    }
  }
}
