package io.panicmode.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.ResultSigner;
import io.panicmode.runtime.ResultVerifier;
import io.panicmode.runtime.StatusBoard;
import io.panicmode.storage.StorageVerticle;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever answers on {@code panicmode.action.web-1} must prove it is web-1's action role: the api
 * holds web-1's result public key, and a result that is unsigned, signed with another key, or
 * signed for another command counts as failed: no 201, no ban in the ledger, a counted rejection.
 * The real storage and api verticles run; only the consumer on the action address is ours.
 */
class ForgedResultTest {
  private static final String HOST = "web-1";
  private static final byte[] OPERATOR_KEY = "operator-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final KeyPair hostKeys = ResultSigner.generate();
  private final ResultSigner realSigner = new ResultSigner(hostKeys.getPrivate());
  private final ResultSigner otherSigner = new ResultSigner(ResultSigner.generate().getPrivate());
  private Vertx vertx;
  private NodeContext ctx;
  private String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    int port = ApiHarness.freePort();
    PanicConfig cfg = ConfigLoader.parse("""
        node: {id: web-1}
        storage: {incident_db: "%s"}
        firewall: {ctl_socket: "%s"}
        http_api: {enabled: true, bind: "127.0.0.1:%d", token: t0ken-for-forgery-tests}
        """.formatted(dir.resolve("incidents.db"), dir.resolve("ctl.sock"), port), "test", Map.of());
    ctx = new NodeContext(cfg, HOST, Clock.systemUTC(), new MetricsRegistry(), new StatusBoard(), true, null,
        new CommandSigner(OPERATOR_KEY), System.currentTimeMillis(), "test-1.0")
        .withResultKeys(null, new ResultVerifier(Map.of(HOST, hostKeys.getPublic())));
    vertx = Vertx.vertx();
    Await.result(vertx.deployVerticle(new StorageVerticle(ctx)));
    Await.result(vertx.deployVerticle(new ApiVerticle(ctx)));
    base = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  void forgedDoneIsAFailureAndRecordsNoBan() throws Exception {
    assertRefused("203.0.113.10", this::done, "unsigned");
    assertRefused("203.0.113.11", c -> otherSigner.sign(done(c)), "bad_signature");
    // A genuine signature taken from another command's result cannot be reused for this one.
    ActionCommand earlier = new ActionCommand("earlier", HOST, "block_ip", List.of("203.0.113.12"), List.of(), 0, "",
        "", null, "operator", System.currentTimeMillis(), "");
    ActionResult captured = realSigner.sign(done(earlier));
    assertRefused("203.0.113.12", c -> captured, "mismatch");
    // Tampering with a genuinely signed result breaks its signature.
    assertRefused("203.0.113.13", c -> {
      ActionResult skipped = realSigner.sign(new ActionResult(c.id(), HOST, c.op(), ActionResult.Status.SKIPPED,
          "whitelisted", false, List.of(), System.currentTimeMillis()));
      return new ActionResult(c.id(), HOST, c.op(), ActionResult.Status.DONE, "", false, c.ips(), skipped.finishedAt(),
          skipped.signature());
    }, "bad_signature");
  }

  @Test
  void aResultSignedByTheHostsActionRoleIsAccepted() throws Exception {
    MessageConsumer<JsonObject> real = answer(c -> realSigner.sign(done(c)));
    HttpResponse<String> r = send("POST", "/api/v1/blocks", "{\"ip\":\"203.0.113.20\"}");
    assertEquals(201, r.statusCode(), r.body());
    assertNotNull(activeBan("203.0.113.20"));
    Await.result(real.unregister());
  }

  private void assertRefused(String ip, Function<ActionCommand, ActionResult> forger, String label) throws Exception {
    long before = ctx.metrics().counterValue("panicmode_action_results_rejected_total", "requester", "api", "reason", label);
    MessageConsumer<JsonObject> forged = answer(forger);
    HttpResponse<String> r = send("POST", "/api/v1/blocks", "{\"ip\":\"" + ip + "\"}");
    Await.result(forged.unregister());
    assertEquals(502, r.statusCode(), ip + ": " + r.body());
    assertTrue(new JsonObject(r.body()).getString("error").contains("unverified result"), r.body());
    assertNull(activeBan(ip), ip + " was recorded as banned on a forged result");
    assertEquals(before + 1,
        ctx.metrics().counterValue("panicmode_action_results_rejected_total", "requester", "api", "reason", label), label);
  }

  private MessageConsumer<JsonObject> answer(Function<ActionCommand, ActionResult> replier) throws Exception {
    MessageConsumer<JsonObject> c = vertx.eventBus().consumer(Addresses.action(HOST),
        m -> m.reply(replier.apply(ActionCommand.fromJson(m.body())).toJson()));
    Await.result(c.completion());
    return c;
  }

  private ActionResult done(ActionCommand c) {
    return new ActionResult(c.id(), HOST, c.op(), ActionResult.Status.DONE, "", false, c.ips(), System.currentTimeMillis());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer t0ken-for-forgery-tests")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject activeBan(String ip) throws Exception {
    JsonArray items = new JsonObject(send("GET", "/api/v1/blocks?all=true", null).body()).getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      if (ip.equals(items.getJsonObject(i).getString("ip"))) return items.getJsonObject(i);
    }
    return null;
  }
}
