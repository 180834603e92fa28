package io.panicmode.api;

import io.panicmode.config.ConfigLoader;
import io.panicmode.config.PanicConfig;
import io.panicmode.contracts.ActionCommand;
import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Addresses;
import io.panicmode.contracts.BlockRecord;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.runtime.CommandSigner;
import io.panicmode.runtime.MetricsRegistry;
import io.panicmode.runtime.NodeContext;
import io.panicmode.runtime.StatusBoard;
import io.panicmode.storage.StorageVerticle;
import io.panicmode.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One Vert.x with the real storage verticle, the api verticle, and a stand-in for the action
 * verticle of host {@code web-1} that answers like the real one would:
 * block_ip of 203.0.113.66 is skipped (whitelisted), of 203.0.113.77 fails (retryable), other
 * IPs are done and recorded in the ledger; unblock_ip is done; thaw of pid 4242 is done, other
 * pids are skipped. Commands without a valid operator signature are refused with 403.
 */
final class ApiHarness implements AutoCloseable {
  static final String TOKEN = "s3cret-token-for-tests";
  static final String HOST = "web-1";
  static final byte[] OPERATOR_KEY = "operator-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  final Vertx vertx = Vertx.vertx();
  final NodeContext ctx;
  final ApiVerticle api;
  final String base;
  /** The local control socket the api serves. */
  final Path socket;
  final List<ActionCommand> commands = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiHarness(Path dir, String extraApiYaml) throws Exception {
    int port = freePort();
    PanicConfig cfg = ConfigLoader.parse("""
        node:
          id: web-1
        storage:
          incident_db: "%s"
        firewall:
          ctl_socket: "%s"
        http_api:
          enabled: true
          bind: "127.0.0.1:%d"
        %s
        """.formatted(dir.resolve("incidents.db"), dir.resolve("ctl.sock"), port, extraApiYaml.indent(2)), "test", Map.of());
    socket = dir.resolve("ctl.sock");
    ctx = new NodeContext(cfg, HOST, Clock.systemUTC(), new MetricsRegistry(), new StatusBoard(), false, null,
        new CommandSigner(OPERATOR_KEY), System.currentTimeMillis(), "test-1.0");
    CommandSigner verifier = new CommandSigner(OPERATOR_KEY);
    Await.result(vertx.eventBus().<JsonObject>consumer(Addresses.action(HOST), m -> {
      ActionCommand c = ActionCommand.fromJson(m.body());
      if (!verifier.verify(c) || !c.issuedBy().equals("operator")) {
        m.fail(403, "unauthenticated command");
        return;
      }
      commands.add(c);
      ActionResult r = standIn(c);
      if (r.status() == ActionResult.Status.DONE && c.op().equals("block_ip")) {
        BlockRecord b = new BlockRecord(HOST, c.ips().get(0), c.issuedAt(),
            c.durationSecs() > 0 ? c.issuedAt() + c.durationSecs() * 1000 : null, c.reason(), null, 1);
        vertx.eventBus().request(Addresses.STORAGE, StorageWrite.block(b, c.id()).toJson()).onComplete(ar -> m.reply(r.toJson()));
        return;
      }
      m.reply(r.toJson());
    }).completion());
    Await.result(vertx.deployVerticle(new StorageVerticle(ctx)));
    api = new ApiVerticle(ctx);
    Await.result(vertx.deployVerticle(api));
    base = "http://127.0.0.1:" + port;
  }

  private static ActionResult standIn(ActionCommand c) {
    long now = System.currentTimeMillis();
    return switch (c.op()) {
      case "block_ip" -> switch (c.ips().get(0)) {
        case "203.0.113.66" -> new ActionResult(c.id(), c.host(), c.op(), ActionResult.Status.SKIPPED, "whitelisted", false, List.of(), now);
        case "203.0.113.77" -> new ActionResult(c.id(), c.host(), c.op(), ActionResult.Status.FAILED, "script timed out", true, List.of(), now);
        default -> new ActionResult(c.id(), c.host(), c.op(), ActionResult.Status.DONE, "", false, c.ips(), now);
      };
      case "unblock_ip" -> new ActionResult(c.id(), c.host(), c.op(), ActionResult.Status.DONE, "", false, c.ips(), now);
      case "thaw" -> c.processes().get(0).pid() == 4242
          ? new ActionResult(c.id(), c.host(), c.op(), ActionResult.Status.DONE, "", false, List.of("4242:0"), now)
          : new ActionResult(c.id(), c.host(), c.op(), ActionResult.Status.SKIPPED, "not frozen by panicmode", false, List.of(), now);
      default -> new ActionResult(c.id(), c.host(), c.op(), ActionResult.Status.FAILED, "unsupported", false, List.of(), now);
    };
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null, null);
  }

  HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) b.header("Authorization", "Bearer " + token);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject json(HttpResponse<String> r) {
    return new JsonObject(r.body());
  }

  @Override
  public void close() throws Exception {
    Await.result(vertx.close());
  }
}
