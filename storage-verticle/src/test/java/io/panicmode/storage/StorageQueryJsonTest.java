package io.panicmode.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.MessageFormatException;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageQuery;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The api → storage query message: strict both ways. */
class StorageQueryJsonTest {
  @Test
  void roundTrips() {
    for (StorageQuery q : new StorageQuery[] {
        StorageQuery.incidents("web-1", Severity.CRITICAL, "high_cpu", 10L, 20L, 30, 50, "20.7"),
        StorageQuery.incidents(null, null, null, null, null, 30, 1, null),
        StorageQuery.blocks("web-1", "203.0.113.9", true, 99, 1000, null),
        StorageQuery.agents(null, 5, 100)}) {
      assertEquals(q, StorageQuery.fromJson(new JsonObject(q.toJson().encode())));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "kind|\"everything\"|StorageQuery.kind",
      "limit|0|StorageQuery.limit",
      "limit|1001|StorageQuery.limit",
      "host|\"a.b\"|StorageQuery.host",
      "severity|\"fatal\"|severity",
      "since|50|StorageQuery.since",
      "v|2|StorageQuery.v",
      "extra|1|unknown field"})
  void rejects(String field, String json, String mentions) {
    JsonObject j = StorageQuery.incidents(null, null, null, null, 40L, 1, 10, null).toJson();
    j.put(field, new JsonObject("{\"x\":" + json + "}").getValue("x"));
    MessageFormatException e = assertThrows(MessageFormatException.class, () -> StorageQuery.fromJson(j));
    assertTrue(e.getMessage().contains(mentions), e.getMessage());
  }
}
