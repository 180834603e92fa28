package io.panicmode.launcher.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.panicmode.contracts.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import org.junit.jupiter.api.Test;

class BridgePolicyTest {
  private static JsonObject frame(String address, JsonObject body) {
    return new JsonObject().put("address", address).put("body", body);
  }

  private static JsonObject storageWrite(String host) {
    return new JsonObject().put("kind", "incident").put("payload", new JsonObject().put("host", host));
  }

  @Test
  void sendsAreHeldToTheCertificatesHost() {
    assertNull(BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE, storageWrite("a")), "a", false));
    assertEquals(BridgePolicy.OTHER_HOST,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE, storageWrite("b")), "a", false));
    JsonObject alert = new JsonObject().put("incident", new JsonObject().put("host", "b"));
    assertEquals(BridgePolicy.OTHER_HOST, BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.ALERTS, alert), "a", false));
    assertEquals(BridgePolicy.MALFORMED,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE, new JsonObject()), "a", false));
    assertEquals(BridgePolicy.MALFORMED, BridgePolicy.check(BridgeEventType.SEND,
        frame(Addresses.STORAGE, new JsonObject().put("payload", new JsonObject().put("host", 7))), "a", false));
    assertEquals(BridgePolicy.ADDRESS,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE_QUERY, storageWrite("a")), "a", false));
    assertEquals(BridgePolicy.ADDRESS,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.action("b"), storageWrite("a")), "a", false));
  }

  @Test
  void answersToCommandsPassWithoutAHostInTheBody() {
    assertNull(BridgePolicy.check(BridgeEventType.SEND, frame("__vertx.reply.12", new JsonObject()), "a", true));
  }

  @Test
  void publishesOnlyOfOwnIncidentsHeartbeatsAndBans() {
    JsonObject own = new JsonObject().put("host", "a");
    assertNull(BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.HEARTBEAT, own), "a", false));
    assertNull(BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.INCIDENTS, own), "a", false));
    assertEquals(BridgePolicy.OTHER_HOST,
        BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.HEARTBEAT, new JsonObject().put("host", "b")), "a", false));
    // A shared ban is a BlockRecord: its host is the host that decided the ban.
    assertNull(BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.SHARED_BANS, own), "a", false));
    assertEquals(BridgePolicy.OTHER_HOST,
        BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.SHARED_BANS, new JsonObject().put("host", "b")), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.SHARED_BANS, own), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.PUBLISH, frame(Addresses.action("a"), own), "a", false));
  }

  @Test
  void registrationsOnlyForOwnCommandsAndSharedBans() {
    assertNull(BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.action("a"), null), "a", false));
    assertNull(BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.SHARED_BANS, null), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.action("b"), null), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.STORAGE, null), "a", false));
    assertEquals(BridgePolicy.ADDRESS, BridgePolicy.check(BridgeEventType.REGISTER, frame(Addresses.HEARTBEAT, null), "a", false));
  }

  @Test
  void withoutAHostIdNothingPasses() {
    assertEquals(BridgePolicy.NO_IDENTITY, BridgePolicy.check(BridgeEventType.SOCKET_PING, new JsonObject(), null, false));
    assertEquals(BridgePolicy.NO_IDENTITY,
        BridgePolicy.check(BridgeEventType.SEND, frame(Addresses.STORAGE, storageWrite("a")), null, true));
  }
}
