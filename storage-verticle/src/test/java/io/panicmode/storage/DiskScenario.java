package io.panicmode.storage;

import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.AlertRequest;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Run by {@link DiskNamespaceTest} inside a private mount namespace where {@code dir} is a small
 * tmpfs (mode {@code full}) or a read-only tmpfs (mode {@code readonly}). Prints {@code KEY value}
 * lines the test asserts on. Root inside the namespace, it remounts {@code dir} itself to end the fault.
 */
public final class DiskScenario {
  private DiskScenario() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Path.of(args[1]);
    Path db = dir.resolve("incidents.db");
    Vertx vertx = Vertx.vertx();
    List<String> alerts = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, m -> {
      alerts.add(AlertRequest.fromJson(m.body()).incident().state().wire());
      m.reply(new JsonObject().put("ok", true));
    }).completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    NodeContext ctx = NodeContext.local(Fixtures.config(db));
    Writer.Tuning tuning = new Writer.Tuning(1_000, 100, Duration.ofMillis(200), Duration.ofHours(1));
    get(vertx.deployVerticle(new StorageVerticle(ctx, tuning, Duration.ofMillis(100))));
    System.out.println("STATUS_START " + ctx.status().snapshot().get("storage"));

    List<String> acked = new CopyOnWriteArrayList<>();
    int sent = 0;
    String filler = "x".repeat(16 * 1024);
    if (mode.equals("full")) {
      // Fill the disk: each write waits for its ack; the first one not acknowledged in time is held.
      while (sent < 1_000) {
        CompletableFuture<Object> f = send(vertx, "f-" + sent, filler, acked);
        sent++;
        try {
          f.get(3, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
          break;
        }
      }
      System.out.println("ACKED_BEFORE_FULL " + acked.size());
    }
    for (int i = 0; i < 5; i++) send(vertx, "held-" + i, filler, acked);
    sent += 5;
    int ackedWhileBroken = acked.size();
    Thread.sleep(1_000);
    System.out.println("STATUS_BROKEN " + ctx.status().snapshot().get("storage"));
    System.out.println("REASON " + ctx.status().reasons().get("storage"));
    System.out.println("ACKED_WHILE_BROKEN " + (acked.size() - ackedWhileBroken));

    String opts = mode.equals("full") ? "remount,size=64m" : "remount,rw";
    Process p = new ProcessBuilder("mount", "-o", opts, dir.toString()).inheritIO().start();
    System.out.println("REMOUNT " + p.waitFor());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((acked.size() < sent || alerts.size() < 2) && System.nanoTime() < deadline) Thread.sleep(50);
    System.out.println("SENT " + sent);
    System.out.println("ACKED " + acked.size());
    System.out.println("STATUS_END " + ctx.status().snapshot().get("storage"));
    System.out.println("ALERTS " + String.join(",", alerts));
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    System.out.println("ROWS " + Fixtures.count(db, "SELECT count(*) FROM incidents"));
    System.out.println("ACKED_IDS_STORED " + acked.stream().allMatch(id -> {
      try {
        return Fixtures.count(db, "SELECT count(*) FROM incidents WHERE incident_id = '" + id + "'") == 1;
      } catch (Exception e) {
        return false;
      }
    }));
    System.exit(0);
  }

  private static CompletableFuture<Object> send(Vertx vertx, String id, String details, List<String> acked) {
    Incident i = new Incident(id, "web-1", "disk_fill", "disk_usage", Severity.WARNING, Incident.State.FIRING, "fill",
        details, 1, 0, Subjects.NONE, List.of(), System.currentTimeMillis(), null);
    return vertx.eventBus().<JsonObject>request(Addresses.STORAGE, StorageWrite.incident(i).toJson(),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(60_000))
        .map(r -> (Object) acked.add(id))
        .toCompletionStage().toCompletableFuture();
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
