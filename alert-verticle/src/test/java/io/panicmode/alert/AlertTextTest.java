package io.panicmode.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.Incident;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Alert texts from the fixture files in {@code src/test/resources/text/}: incidents in, expected text out. */
class AlertTextTest {
  static Stream<Path> fixtures() throws IOException {
    Path dir = Path.of("src/test/resources/text");
    return Files.list(dir).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void rendersAsExpected(Path file) throws IOException {
    JsonObject f = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    AlertText text = new AlertText(f.getString("label"), f.getString("localHost"));
    List<Incident> incidents = new ArrayList<>();
    for (Object o : f.getJsonArray("incidents")) {
      JsonObject json = (JsonObject) o;
      JsonObject repeat = f.getJsonObject("detailsRepeat");
      if (repeat != null) json.put("details", repeat.getString("char").repeat(repeat.getInteger("count")));
      incidents.add(Incident.fromJson(json));
    }
    String got = f.getBoolean("digest", false) ? text.digest(incidents) : text.single(incidents.get(0));
    if (f.containsKey("expected")) {
      assertEquals(f.getString("expected"), got);
    } else {
      assertTrue(got.startsWith(f.getString("expectedPrefix")), got);
      String details = got.substring(f.getString("expectedPrefix").length(), got.indexOf(" | server: "));
      assertEquals(f.getInteger("expectedDetailsLength"), details.length());
      assertTrue(details.endsWith("…"));
    }
  }
}
