package io.panicmode.action.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** mass_freeze.yaml: each fixture under mass_freeze/valid loads to what its first line expects, each under mass_freeze/invalid names its problem. */
class MassFreezeConfigTest {
  static Stream<Path> files(String folder) throws IOException, URISyntaxException {
    Path dir = Path.of(MassFreezeConfigTest.class.getResource("/mass_freeze/" + folder).toURI());
    return Files.list(dir).sorted();
  }

  static Stream<Path> valid() throws Exception { return files("valid"); }

  static Stream<Path> invalid() throws Exception { return files("invalid"); }

  private static String expectation(Path p) throws IOException {
    String first = Files.readAllLines(p).get(0);
    assertTrue(first.startsWith("# expect: "), p + " must start with '# expect: ...'");
    return first.substring("# expect: ".length());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validMassFreezeFiles(Path p) throws Exception {
    MassFreezeConfig c = MassFreezeConfig.load(p);
    String got = "count=" + c.topCount() + " min=" + c.minCpuToFreeze() + " whitelist=" + c.whitelist() + " clusters="
        + List.copyOf(c.clusters().keySet()) + " timeout=" + c.freezeTimeout() + " max=" + c.maxProcessesToFreeze()
        + " dry=" + c.dryRun();
    assertEquals(expectation(p), got);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidMassFreezeFilesNameTheProblem(Path p) throws Exception {
    String expected = expectation(p);
    MassFreezeConfig.InvalidException e = assertThrows(MassFreezeConfig.InvalidException.class, () -> MassFreezeConfig.load(p));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().startsWith(p.toString()), "error must name the file: " + e.getMessage());
  }

  @Test
  void absentMassFreezeFileMeansDefaults() throws Exception {
    assertEquals(MassFreezeConfig.DEFAULTS, MassFreezeConfig.load(Path.of("/nonexistent/mass_freeze.yaml")));
  }
}
