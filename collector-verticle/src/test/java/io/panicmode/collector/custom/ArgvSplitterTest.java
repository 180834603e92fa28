package io.panicmode.collector.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArgvSplitterTest {
  /** command | expected argv as a JSON array. */
  @ParameterizedTest
  @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
      "/usr/bin/redis-cli LLEN job_queue => [\"/usr/bin/redis-cli\",\"LLEN\",\"job_queue\"]",
      "  a   b\tc   => [\"a\",\"b\",\"c\"]",
      "/bin/sh -c \"redis-cli INFO memory | grep used_memory: | awk -F: '{print $2}'\" => [\"/bin/sh\",\"-c\",\"redis-cli INFO memory | grep used_memory: | awk -F: '{print $2}'\"]",
      "echo 'a b' \"c d\" e\\ f => [\"echo\",\"a b\",\"c d\",\"e f\"]",
      "echo \"x\\\"y\\\\z\\$w\\q\" => [\"echo\",\"x\\\"y\\\\z$w\\\\q\"]",
      "echo '' => [\"echo\",\"\"]",
      "echo a''b => [\"echo\",\"ab\"]",
      "echo $(rm -rf /) ; ls | wc > /tmp/x => [\"echo\",\"$(rm\",\"-rf\",\"/)\",\";\",\"ls\",\"|\",\"wc\",\">\",\"/tmp/x\"]",
      "echo 'it''s' => [\"echo\",\"its\"]"})
  void splitsLikeAShellWithoutBeingOne(String command, String expected) {
    assertEquals(new JsonArray(expected).getList(), ArgvSplitter.split(command));
  }

  @ParameterizedTest
  @ValueSource(strings = {"echo 'open", "echo \"open", "echo \\", "   ", ""})
  void rejectsWhatCannotBeSplit(String command) {
    assertThrows(IllegalArgumentException.class, () -> ArgvSplitter.split(command));
  }

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
