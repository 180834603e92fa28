package io.panicmode.bench.action;

import io.panicmode.action.HostEnv;
import io.panicmode.action.firewall.Ban;
import io.panicmode.action.firewall.BlockLedger;
import io.panicmode.action.firewall.ScriptFirewall;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.sqlite.SqliteStore;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Restore of N bans at start (restore_on_startup). Three measurements in one run:
 * <ol>
 *   <li>baseline: the Rust version's way, one block script run after another (measured on
 *       {@code baselineCount} bans and reported per ban, then scaled to N);</li>
 *   <li>the script backend as deployed (bounded parallelism), N bans;</li>
 *   <li>the nft backend as deployed, N bans, inside a network namespace this program creates and
 *       deletes; the set's element count is checked afterwards.</li>
 * </ol>
 * Deploy times include opening the ledger and everything else start() does; an empty-ledger deploy
 * is measured too so the restore's own share is visible. Needs root, ip and nft.
 * Usage: RestoreBench workDir [bans=20000] [baselineBans=1000]
 */
public final class RestoreBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int baseN = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    Path noop = BenchSupport.script(work, "noop.sh", "#!/bin/sh\nexit 0\n");

    List<Ban> bans = new ArrayList<>();
    for (int i = 1; i <= n; i++) bans.add(new Ban(BenchSupport.ip(i), i % 2 == 0 ? null : System.currentTimeMillis() + 3_600_000));

    long t0 = System.nanoTime();
    new ScriptFirewall(noop.toString(), noop.toString(), null, Duration.ofSeconds(10), 1).restore(bans.subList(0, baseN), 0);
    double seqPerBan = (System.nanoTime() - t0) / 1e6 / baseN;
    double seqScaled = seqPerBan * n;
    System.out.printf("baseline  sequential script restore: %.3f ms/ban -> %.0f ms for %d bans (scaled from %d)%n",
        seqPerBan, seqScaled, n, baseN);

    double empty = deploy(work.resolve("empty"), 0, "  backend: dry_run\n", HostEnv.real());
    System.out.printf("deploy with an empty ledger: %.0f ms%n", empty);

    double script = deploy(work.resolve("script"), n, "  backend: script\n  block_script: " + noop + "\n  unblock_script: " + noop
        + "\n", HostEnv.real());
    System.out.printf("script backend, parallel restore of %d bans: %.0f ms (%.1fx faster than sequential)%n", n, script,
        seqScaled / script);

    String ns = "pmbench" + ProcessHandle.current().pid();
    BenchSupport.run("/usr/sbin/ip", "netns", "add", ns);
    try {
      HostEnv env = HostEnv.real().withNftCommand(List.of("/usr/sbin/ip", "netns", "exec", ns, "/usr/sbin/nft"));
      double nft = deploy(work.resolve("nft"), n, "  backend: nft\n  nft_table: pmbench\n", env);
      String listing = BenchSupport.run("/usr/sbin/ip", "netns", "exec", ns, "/usr/sbin/nft", "-j", "list", "set", "inet",
          "pmbench", "ban4");
      int elements = listing.split("\"11\\.").length - 1;
      System.out.printf("nft backend, restore of %d bans: %.0f ms (%.0fx faster than sequential; goal <= 5000 ms); "
          + "%d elements in the kernel set%n", n, nft, seqScaled / nft, elements);
      if (elements != n) throw new IllegalStateException("expected " + n + " elements in the set, found " + elements);
    } finally {
      BenchSupport.run("/usr/sbin/ip", "netns", "del", ns);
    }
  }

  /** Fills a fresh ledger with {@code n} bans, deploys the verticle on it and returns the deploy time. */
  private static double deploy(Path dir, int n, String firewallYaml, HostEnv env) throws Exception {
    Files.createDirectories(dir);
    Vertx filler = Vertx.vertx();
    try (BlockLedger ledger = SqliteStore.await(BlockLedger.open(filler, dir.resolve("block_ledger.db"), new MetricsRegistry(),
        SqliteStore.Listener.NONE))) {
      List<BlockLedger.Entry> rows = new ArrayList<>();
      long now = System.currentTimeMillis();
      for (int i = 1; i <= n; i++) {
        rows.add(new BlockLedger.Entry(BenchSupport.ip(i), now, i % 2 == 0 ? null : now + 3_600_000, "bench", null, 1, true));
      }
      if (!rows.isEmpty()) ledger.recordBans(rows);
    } finally {
      filler.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Vertx vertx = Vertx.vertx();
    try {
      return BenchSupport.deployMillis(vertx, BenchSupport.config(dir, firewallYaml), env);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
