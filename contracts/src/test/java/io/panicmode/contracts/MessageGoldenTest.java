package io.panicmode.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message type decodes its golden file and encodes it back unchanged; decoding is strict. */
class MessageGoldenTest {
  private static final Map<String, Function<JsonObject, JsonObject>> ROUND_TRIP = Map.of(
      "incident.json", j -> Incident.fromJson(j).toJson(),
      "incident-resolved.json", j -> Incident.fromJson(j).toJson(),
      "metrics-snapshot.json", j -> MetricsSnapshot.fromJson(j).toJson(),
      "auth-event.json", j -> AuthEvent.fromJson(j).toJson(),
      "action-command.json", j -> ActionCommand.fromJson(j).toJson(),
      "action-result.json", j -> ActionResult.fromJson(j).toJson(),
      "alert-request.json", j -> AlertRequest.fromJson(j).toJson(),
      "storage-write.json", j -> StorageWrite.fromJson(j).toJson(),
      "heartbeat.json", j -> Heartbeat.fromJson(j).toJson(),
      "block-record.json", j -> BlockRecord.fromJson(j).toJson());

  static Stream<Arguments> goldens() {
    return ROUND_TRIP.keySet().stream().sorted().map(Arguments::of);
  }

  private static JsonObject golden(String name) throws IOException {
    return new JsonObject(Files.readString(Path.of("src/test/resources/golden", name)));
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void roundTripIsExact(String name) throws IOException {
    JsonObject g = golden(name);
    assertEquals(g, ROUND_TRIP.get(name).apply(g.copy()));
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void unknownFieldIsRejectedByName(String name) throws IOException {
    JsonObject g = golden(name).put("surprise", 1);
    MessageFormatException e = assertThrows(MessageFormatException.class, () -> ROUND_TRIP.get(name).apply(g));
    assertTrue(e.getMessage().contains("surprise"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void everyMissingFieldIsRejectedByName(String name) throws IOException {
    JsonObject g = golden(name);
    for (String field : g.fieldNames()) {
      JsonObject copy = g.copy();
      copy.remove(field);
      boolean optional = g.getValue(field) == null; // null-valued fields are the optional ones
      if (optional) continue;
      MessageFormatException e = assertThrows(MessageFormatException.class, () -> ROUND_TRIP.get(name).apply(copy),
          name + " without " + field);
      assertTrue(e.getMessage().contains(field), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void otherSchemaVersionIsRejected(String name) throws IOException {
    JsonObject g = golden(name).put("v", 99);
    MessageFormatException e = assertThrows(MessageFormatException.class, () -> ROUND_TRIP.get(name).apply(g));
    assertTrue(e.getMessage().contains(".v:"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void wrongTypeNamesTheField() throws IOException {
    JsonObject g = golden("incident.json").put("severity", 3);
    MessageFormatException e = assertThrows(MessageFormatException.class, () -> Incident.fromJson(g));
    assertEquals("Incident.severity: expected string, got 3", e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void hostIdsCannotSmuggleAddressParts() {
    assertThrows(IllegalArgumentException.class, () -> Addresses.action("web-1.other"));
    assertThrows(IllegalArgumentException.class, () -> Addresses.action(""));
    assertEquals("panicmode.action.web-1", Addresses.action("web-1"));
  }
}
