package io.panicmode.collector.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How a custom metric command's stdout becomes a number, per output_format. */
class OutputParserTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {"42|42.0", " -1.5e3 |-1500.0", "+7|7.0", "~0.25\n~|0.25"})
  void numbers(String out, double v) {
    assertEquals(v, OutputParser.parse(out, io.panicmode.config.OutputFormat.NUMBER));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "Infinity", "0x10", "1d", "1f", "12 apples", "", "1e", "1e400", "--1"})
  void notNumbers(String out) {
    assertThrows(IllegalArgumentException.class, () -> OutputParser.parse(out, io.panicmode.config.OutputFormat.NUMBER));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {"{\"value\": 12.5}|12.5", "{\"value\": 3, \"unit\": \"x\"}|3.0"})
  void json(String out, double v) {
    assertEquals(v, OutputParser.parse(out, io.panicmode.config.OutputFormat.JSON));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"value\": \"12\"}", "{}", "[1]", "12", "{\"value\": null}"})
  void notJson(String out) {
    assertThrows(IllegalArgumentException.class, () -> OutputParser.parse(out, io.panicmode.config.OutputFormat.JSON));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {"~a\nb\n\nc\n~|3.0", "~~|0.0", "~  \n \n~|0.0"})
  void textCountsNonEmptyLines(String out, double v) {
    assertEquals(v, OutputParser.parse(out, io.panicmode.config.OutputFormat.TEXT));
  }
}
