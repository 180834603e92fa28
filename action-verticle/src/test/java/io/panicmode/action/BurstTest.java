package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.runtime.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distributed brute force: 200 attacking IPs cross the threshold at the same moment, so the
 * detector sends 200 block_ip commands at once, far beyond {@code max_concurrency}. Every one of
 * them must be banned, none skipped: with the script backend (200 script runs) and with nft (in
 * a network namespace, every IP in the ban set).
 */
@ExtendWith(VertxExtension.class)
class BurstTest {
  static final int ATTACKERS = 200;

  @TempDir Path dir;
  Vertx vertx;
  NetnsFixture net;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (net != null) net.close();
  }

  static List<String> attackers() {
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < ATTACKERS; i++) ips.add("203.0." + (113 + i / 250) + "." + (1 + i % 250));
    return ips;
  }

  /** Sends one block_ip per attacker, all at once, as the detector does; returns the replies in order. */
  private List<ActionResult> burst(List<String> ips) throws Exception {
    List<Future<io.vertx.core.eventbus.Message<JsonObject>>> replies = new ArrayList<>();
    for (String ip : ips) {
      replies.add(vertx.eventBus().request(Addresses.action(TestSupport.HOST), TestSupport.block(ip).toJson(),
          new DeliveryOptions().setSendTimeout(60_000)));
    }
    Future.all(replies).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    return replies.stream().map(f -> ActionResult.fromJson(f.result().body())).toList();
  }

  private static void assertAllBanned(List<String> ips, List<ActionResult> results, NodeContext ctx) {
    for (int i = 0; i < ips.size(); i++) {
      ActionResult r = results.get(i);
      assertEquals(ActionResult.Status.DONE, r.status(), ips.get(i) + ": " + r.reason());
      assertEquals(List.of(ips.get(i)), r.affected());
    }
    assertEquals(0, ctx.metrics().counterValue("panicmode_action_queue_full_total", "action", "block_ip"));
    double batches = ctx.metrics().counterValue("panicmode_action_ban_batches_total");
    System.out.printf("burst of %d bans: %.0f backend calls%n", ips.size(), batches);
    assertTrue(batches < ips.size(), "queued bans were not applied together: " + batches + " backend calls");
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void twoHundredAttackersAtOnceAreAllBannedByTheScript() throws Exception {
    Path log = dir.resolve("block.log");
    // One write per run (runs overlap): the argument count, then the first argument in brackets.
    Path block = TestSupport.script(dir, "block.sh", "echo \"$# [$1]\" >> '" + log + "'");
    Path unblock = TestSupport.recordingScript(dir, "unblock.sh", dir.resolve("unblock.log"), 0);
    NodeContext ctx = TestSupport.local(TestSupport.config(dir, "firewall:\n  block_script: " + block + "\n  unblock_script: "
        + unblock + "\n"));
    TestSupport.deploy(vertx, new ActionVerticle(ctx));
    List<String> ips = attackers();
    assertAllBanned(ips, burst(ips), ctx);
    Set<String> ran = new HashSet<>();
    for (String line : TestSupport.lines(log)) ran.add(line);
    Set<String> expected = new HashSet<>();
    ips.forEach(ip -> expected.add("1 [" + ip + "]"));
    assertEquals(expected, ran, "every attacker's IP passed to the block script exactly as one argument");
    assertEquals(ATTACKERS, TestSupport.lines(log).size(), "one script run per IP");
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void twoHundredAttackersAtOnceAreAllInTheNftBanSet() throws Exception {
    NetnsFixture.assumeAvailable();
    net = new NetnsFixture();
    String table = "pmburst" + UUID.randomUUID().toString().substring(0, 6).replace("-", "");
    NodeContext ctx = TestSupport.local(TestSupport.config(dir, "firewall:\n  backend: nft\n  nft_table: " + table + "\n"));
    TestSupport.deploy(vertx, new ActionVerticle(ctx, HostEnv.real().withNftCommand(net.nftCommand())));
    List<String> ips = attackers();
    assertAllBanned(ips, burst(ips), ctx);
    String listing = net.listTable(table);
    for (String ip : ips) assertTrue(listing.matches("(?s).*\\b" + ip.replace(".", "\\.") + "\\b.*"), ip + " not in the ban set");
  }
}
