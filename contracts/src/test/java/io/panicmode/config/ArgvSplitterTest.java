package io.panicmode.config;

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
}
