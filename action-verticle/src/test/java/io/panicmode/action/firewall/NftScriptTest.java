package io.panicmode.action.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The nft programs the backend writes, captured by a fake nft that saves its stdin and argv. */
class NftScriptTest {
  @TempDir Path dir;

  private NftFirewall fake(Path out, int exit) throws Exception {
    Path nft = dir.resolve("nft");
    Files.writeString(nft, "#!/bin/sh\necho \"$@\" > '" + out + ".argv'\ncat > '" + out + "'\nexit " + exit + "\n");
    Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwx------"));
    return new NftFirewall(List.of(nft.toString()), "pm_test", 10, Duration.ofSeconds(5));
  }

  @Test
  void banBatchesReplaceTimeoutsAndSplitFamilies() throws Exception {
    Path out = dir.resolve("script");
    NftFirewall fw = fake(out, 0);
    fw.block(List.of(new Ban("203.0.113.5", 61_000L), new Ban("2001:db8::1", null)), 0);
    assertEquals("-f -", Files.readString(Path.of(out + ".argv")).strip());
    assertEquals(List.of(
        "add element inet pm_test ban4 { 203.0.113.5 timeout 1s }",
        "delete element inet pm_test ban4 { 203.0.113.5 }",
        "add element inet pm_test ban6 { 2001:db8::1 timeout 1s }",
        "delete element inet pm_test ban6 { 2001:db8::1 }",
        "add element inet pm_test ban4 { 203.0.113.5 timeout 61s }",
        "add element inet pm_test ban6 { 2001:db8::1 }"), Files.readAllLines(out));
  }

  @Test
  void restoreIsOneProgramInChunks() throws Exception {
    Path out = dir.resolve("script");
    NftFirewall fw = fake(out, 0);
    List<Ban> bans = new java.util.ArrayList<>();
    for (int i = 0; i < 4500; i++) bans.add(new Ban("11.0." + (i >> 8) + "." + (i & 255), null));
    fw.restore(bans, 0);
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size(), "4500 elements in chunks of 2000");
    assertTrue(lines.get(0).startsWith("add element inet pm_test ban4 { 11.0.0.0, 11.0.0.1,"));
  }

  @Test
  void failuresSayWhetherARetryHelps() throws Exception {
    NftFirewall fw = fake(dir.resolve("script"), 1);
    FirewallException e = assertThrows(FirewallException.class, () -> fw.unblock(List.of("203.0.113.5")));
    assertTrue(e.retryable());
    NftFirewall missing = new NftFirewall(List.of(dir.resolve("no-nft").toString()), "pm_test", 10, Duration.ofSeconds(5));
    e = assertThrows(FirewallException.class, () -> missing.unblock(List.of("203.0.113.5")));
    assertTrue(!e.retryable(), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4 drop; delete table inet x", "1.2.3.4 }", "1.2.3.4\nflush ruleset", "", "1.2.3.4/8", "@ban4",
      "FE80::1", "1.2.3.4,5.6.7.8"})
  void anythingButACanonicalAddressNeverReachesTheNftLanguage(String text) {
    assertThrows(IllegalArgumentException.class, () -> NftFirewall.element(text));
  }

  @Test
  void tableNamesAreIdentifiers() {
    assertThrows(IllegalArgumentException.class, () -> new NftFirewall(List.of("/usr/sbin/nft"), "x; flush ruleset", 10,
        Duration.ofSeconds(1)));
  }
}
