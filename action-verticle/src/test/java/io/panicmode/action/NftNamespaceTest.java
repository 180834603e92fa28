package io.panicmode.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nft backend against real traffic: an attacker namespace's TCP connects to a victim
 * namespace are dropped after block_ip and pass again after unblock_ip and after expiry; a
 * restart that finds the table gone (as after a reboot) restores the ledger's bans; rate_limit
 * lets only the configured number of new connections per minute through.
 */
@ExtendWith(VertxExtension.class)
class NftNamespaceTest {
  @TempDir Path dir;
  NetnsFixture net;
  Vertx vertx;
  String table;

  @BeforeEach
  void setUp() throws Exception {
    NetnsFixture.assumeAvailable();
    net = new NetnsFixture();
    vertx = Vertx.vertx();
    table = "pmtest" + UUID.randomUUID().toString().substring(0, 6).replace("-", "");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (net != null) net.close();
  }

  private ActionVerticle verticle(String extra) throws Exception {
    var cfg = TestSupport.config(dir, "firewall:\n  backend: nft\n  nft_table: " + table + "\n  rate_limit_per_minute: 3\n" + extra);
    return new ActionVerticle(TestSupport.local(cfg), HostEnv.real().withNftCommand(net.nftCommand()));
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void blockUnblockExpiryAndRestoreAgainstRealTraffic() throws Exception {
    assertTrue(net.attackerReachesV4(), "precondition: attacker reaches victim");
    assertTrue(net.attackerReachesV6(), "precondition: attacker reaches victim over IPv6");
    ActionVerticle v = verticle("");
    TestSupport.deploy(vertx, v);

    ActionResult r = TestSupport.send(vertx, TestSupport.block(NetnsFixture.ATTACKER_V4, "2001:DB8:51:0::2"));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(List.of(NetnsFixture.ATTACKER_V4, NetnsFixture.ATTACKER_V6), r.affected());
    assertFalse(net.attackerReachesV4(), "blocked attacker still connects over IPv4");
    assertFalse(net.attackerReachesV6(), "blocked attacker still connects over IPv6");

    r = TestSupport.send(vertx, TestSupport.command("unblock_ip", List.of(NetnsFixture.ATTACKER_V4, NetnsFixture.ATTACKER_V6),
        List.of(), ""));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertTrue(net.attackerReachesV4(), "unblocked attacker cannot connect");
    assertTrue(net.attackerReachesV6(), "unblocked attacker cannot connect over IPv6");

    ActionCommand timed = new ActionCommand(UUID.randomUUID().toString(), TestSupport.HOST, "block_ip",
        List.of(NetnsFixture.ATTACKER_V4), List.of(), 2, "short ban", "", null, "operator", System.currentTimeMillis(), "");
    assertEquals(ActionResult.Status.DONE, TestSupport.send(vertx, timed).status());
    assertFalse(net.attackerReachesV4(), "short ban not in force");
    Await.until("the 2 s ban expired and the attacker connects again", net::attackerReachesV4);

    assertEquals(ActionResult.Status.DONE, TestSupport.send(vertx, TestSupport.block(NetnsFixture.ATTACKER_V4)).status());
    assertFalse(net.attackerReachesV4());
    vertx.undeploy(vertx.deploymentIDs().iterator().next()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    net.dropTable(table);
    assertTrue(net.attackerReachesV4(), "precondition: table gone, traffic passes");

    TestSupport.deploy(vertx, verticle(""));
    assertFalse(net.attackerReachesV4(), "restore_on_startup did not re-apply the ban");
    assertTrue(net.listTable(table).contains(NetnsFixture.ATTACKER_V4));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void restoreIsOffWhenConfiguredSo() throws Exception {
    TestSupport.deploy(vertx, verticle("  restore_on_startup: false\n"));
    assertEquals(ActionResult.Status.DONE, TestSupport.send(vertx, TestSupport.block(NetnsFixture.ATTACKER_V4)).status());
    vertx.undeploy(vertx.deploymentIDs().iterator().next()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    net.dropTable(table);
    TestSupport.deploy(vertx, verticle("  restore_on_startup: false\n"));
    assertTrue(net.attackerReachesV4());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void rateLimitCapsNewConnectionsPerSource() throws Exception {
    TestSupport.deploy(vertx, verticle(""));
    assertEquals(10, NetnsFixture.connects(net.attacker, NetnsFixture.VICTIM_V4, 10, 500), "precondition: no limit yet");
    ActionResult r = TestSupport.send(vertx, TestSupport.command("rate_limit", List.of(NetnsFixture.ATTACKER_V4), List.of(), ""));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    int ok = NetnsFixture.connects(net.attacker, NetnsFixture.VICTIM_V4, 10, 300);
    assertTrue(ok >= 1 && ok <= 4, "rate limit of 3/minute let " + ok + " of 10 new connections through");
    r = TestSupport.send(vertx, TestSupport.command("unblock_ip", List.of(NetnsFixture.ATTACKER_V4), List.of(), ""));
    assertEquals(ActionResult.Status.DONE, r.status(), r.reason());
    assertEquals(10, NetnsFixture.connects(net.attacker, NetnsFixture.VICTIM_V4, 10, 500), "unblock_ip must lift the rate limit");
  }
}
