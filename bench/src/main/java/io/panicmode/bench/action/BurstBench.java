package io.panicmode.bench.action;

import io.panicmode.action.HostEnv;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A distributed brute force: {@code n} attacking IPs cross the threshold at once, so {@code n}
 * block_ip commands arrive together (default circuit_breakers: 5 at a time, the rest queued).
 * Measured: time from the first command sent to the last ban in force, and that every command
 * answered DONE. Script backend: the block script writes {@code $EPOCHREALTIME} when it runs;
 * the last ban is the latest of those. nft backend (in a network namespace of its own): the last
 * DONE reply, which comes after the nft transaction returned. Baselines in the same run: a
 * plain shell loop running the same block script once per IP, and a plain loop of one
 * {@code nft add element} per IP in the same namespace. Each figure is the median of
 * {@code rounds} rounds with fresh IPs.
 * Usage: BurstBench workDir [attackers=200] [rounds=5]
 */
public final class BurstBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path log = work.resolve("banned.log");
    Path script = BenchSupport.script(work, "block.sh", "#!/bin/bash\necho \"$EPOCHREALTIME $1\" >> '" + log + "'\n");
    String ns = "pmburst" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    BenchSupport.run("/usr/sbin/ip", "netns", "add", ns);
    try {
      List<Double> loop = new ArrayList<>();
      List<Double> viaScript = new ArrayList<>();
      List<Double> nftLoop = new ArrayList<>();
      List<Double> viaNft = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        loop.add(shellLoop(work, script, ips(n, 1_000 + r * n)));
        nftLoop.add(nftLoop(work, ns, ips(n, 50_000 + r * n)));
      }
      Vertx vertx = Vertx.vertx();
      try {
        BenchSupport.deployMillis(vertx, BenchSupport.config(work.resolve("script"), "  backend: script\n  block_script: "
            + script + "\n  unblock_script: " + script + "\n  restore_on_startup: false\n"), HostEnv.real());
        burst(vertx, ips(n, 900_000));  // warm-up
        for (int r = 0; r < rounds; r++) {
          Files.deleteIfExists(log);
          List<String> ips = ips(n, 100_000 + r * n);
          long t0 = System.currentTimeMillis();
          burst(vertx, ips);
          double last = 0;
          List<String> lines = Files.readAllLines(log);
          if (lines.size() != n) throw new IllegalStateException("block script ran " + lines.size() + " times for " + n + " bans");
          for (String line : lines) last = Math.max(last, Double.parseDouble(line.split(" ")[0]) * 1000);
          viaScript.add(last - t0);
        }
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      vertx = Vertx.vertx();
      try {
        HostEnv env = HostEnv.real().withNftCommand(List.of("/usr/sbin/ip", "netns", "exec", ns, "/usr/sbin/nft"));
        BenchSupport.deployMillis(vertx, BenchSupport.config(work.resolve("nft"), "  backend: nft\n  nft_table: pmburst\n"
            + "  restore_on_startup: false\n"), env);
        burst(vertx, ips(n, 950_000));
        for (int r = 0; r < rounds; r++) {
          long t0 = System.nanoTime();
          burst(vertx, ips(n, 200_000 + r * n));
          viaNft.add((System.nanoTime() - t0) / 1e6);
        }
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      double l = median(loop);
      double s = median(viaScript);
      double nl = median(nftLoop);
      double v = median(viaNft);
      System.out.printf("%d attackers at once, median of %d rounds, all %d banned, none skipped%n", n, rounds, n);
      System.out.printf("baseline  shell loop, block script once per IP:  %.0f ms%n", l);
      System.out.printf("script backend, time to the last ban:          %.0f ms  (%.2fx the loop)%n", s, s / l);
      System.out.printf("baseline  loop of one 'nft add element' per IP: %.0f ms%n", nl);
      System.out.printf("nft backend, time to the last ban:             %.0f ms  (%.2fx the nft loop, %.2fx the script loop)%n",
          v, v / nl, v / l);
    } finally {
      BenchSupport.run("/usr/sbin/ip", "netns", "delete", ns);
    }
  }

  private static List<String> ips(int n, int from) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(BenchSupport.ip(from + i));
    return out;
  }

  /** Sends one block_ip per IP at once; every reply must be DONE. */
  private static void burst(Vertx vertx, List<String> ips) throws Exception {
    List<Future<Message<JsonObject>>> replies = new ArrayList<>();
    for (String ip : ips) {
      ActionCommand c = new ActionCommand(UUID.randomUUID().toString(), BenchSupport.HOST, "block_ip", List.of(ip), List.of(), 0,
          "bench", "", null, "detector", System.currentTimeMillis(), "");
      replies.add(vertx.eventBus().request(Addresses.action(BenchSupport.HOST), c.toJson(),
          new DeliveryOptions().setSendTimeout(120_000)));
    }
    Future.all(replies).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    for (var f : replies) {
      ActionResult r = ActionResult.fromJson(f.result().body());
      if (r.status() != ActionResult.Status.DONE) throw new IllegalStateException(r.affected() + ": " + r.status() + " " + r.reason());
    }
  }

  private static double shellLoop(Path work, Path script, List<String> ips) throws Exception {
    Path list = work.resolve("ips.txt");
    Files.write(list, ips);
    long t0 = System.nanoTime();
    BenchSupport.run("/bin/bash", "-c", "while read -r ip; do '" + script + "' \"$ip\"; done < '" + list + "'");
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double nftLoop(Path work, String ns, List<String> ips) throws Exception {
    BenchSupport.run("/usr/sbin/ip", "netns", "exec", ns, "/usr/sbin/nft",
        "add table inet pmloop; add set inet pmloop ban4 { type ipv4_addr; flags timeout; }");
    Path list = work.resolve("ips.txt");
    Files.write(list, ips);
    long t0 = System.nanoTime();
    BenchSupport.run("/bin/bash", "-c", "while read -r ip; do /usr/sbin/ip netns exec " + ns
        + " /usr/sbin/nft add element inet pmloop ban4 \"{ $ip }\"; done < '" + list + "'");
    double ms = (System.nanoTime() - t0) / 1e6;
    BenchSupport.run("/usr/sbin/ip", "netns", "exec", ns, "/usr/sbin/nft", "delete table inet pmloop");
    return ms;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
