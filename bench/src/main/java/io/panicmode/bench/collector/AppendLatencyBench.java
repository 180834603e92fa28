package io.panicmode.bench.collector;

import io.panicmode.collector.auth.AuthMode;
import io.panicmode.collector.auth.AuthPipeline;
import io.panicmode.collector.auth.FileFollower;
import io.panicmode.collector.auth.SshdLineParser;
import io.panicmode.contracts.Addresses;
import io.panicmode.runtime.MetricsRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A line appended to the auth log -> its AuthEvent received by an event-bus consumer, as the
 * collector wires it (file follower, parser, publish on Addresses.authEvents). APPENDS lines, one
 * every 5 ms, each with its own port number so the event is matched to its write time.
 * Usage: AppendLatencyBench DIR APPENDS
 */
public final class AppendLatencyBench {
  private AppendLatencyBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    Files.createDirectories(dir);
    Path log = dir.resolve("auth.log");
    Files.deleteIfExists(log);
    Files.createFile(log);
    Vertx vertx = Vertx.vertx();
    ConcurrentHashMap<Integer, Long> received = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(n);
    vertx.eventBus().<JsonObject>consumer(Addresses.authEvents("bench")).handler(m -> {
      received.put(m.body().getInteger("port"), System.nanoTime());
      all.countDown();
    }).completion().toCompletionStage().toCompletableFuture().get();
    AuthPipeline pipeline = new AuthPipeline("bench", SshdLineParser.live(ZoneOffset.UTC, System::currentTimeMillis), AuthMode.NORMAL,
        e -> vertx.eventBus().publish(Addresses.authEvents("bench"), e.toJson()), System::currentTimeMillis, new MetricsRegistry());
    FileFollower f = new FileFollower(log, 4096, pipeline, System.err::println);
    f.start();
    Thread.sleep(300);
    long[] written = new long[n];
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (int i = 0; i < n; i++) {
        byte[] line = ("Nov 27 16:29:43 web1 sshd[77]: Failed password for root from 203.0.113.5 port " + (1000 + i) + " ssh2\n")
            .getBytes(StandardCharsets.US_ASCII);
        written[i] = System.nanoTime();
        ch.write(ByteBuffer.wrap(line));
        Thread.sleep(5);
      }
    }
    if (!all.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("only " + received.size() + " of " + n + " events");
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) ms[i] = (received.get(1000 + i) - written[i]) / 1e6;
    Arrays.sort(ms);
    System.out.printf("appends=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f%n", n, ms[n / 2], ms[(int) (n * 0.9)],
        ms[(int) (n * 0.99)], ms[n - 1]);
    f.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }
}
