package io.panicmode.action.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Process-name globs (mass_freeze clusters and whitelists). */
class GlobTest {
  @ParameterizedTest
  @CsvSource({"cc1*,cc1plus,true", "cc1*,cc1,true", "cc1*,xcc1,false", "make,make,true", "make,cmake,false",
      "?ake,make,true", "*,anything,true", "a*b*c,aXXbYYc,true", "a*b*c,aXXbYY,false", "*.sh,x.sh,true",
      "'',x,false", "a**,a,true"})
  void globs(String pattern, String name, boolean match) {
    assertEquals(match, Glob.matches(pattern, name), pattern + " vs " + name);
  }

  /**
   * A backtracking matcher would need about 10^8 steps per call here, so this would run for hours;
   * the timeout only stops such a hang and says nothing about speed.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void adversarialPatternsDoNotBacktrack() {
    String name = "a".repeat(15);
    String pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
    for (int i = 0; i < 10_000; i++) assertFalse(Glob.matches(pattern, name));
  }
}
