package io.panicmode.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md names exactly what the registries hold: every monitor type, alert channel
 * and action, and nothing else. A name added to a registry without docs, or documented but gone,
 * fails here.
 */
class RegistryDocsTest {
  private static String doc;

  @BeforeAll
  static void read() throws Exception {
    doc = Files.readString(Path.of("../docs/configuration.md"));
  }

  @Test
  void monitorTypes() {
    assertEquals(names(Arrays.stream(MonitorType.values()).map(MonitorType::wire)), listed("Types: ", " Actions: "));
  }

  @Test
  void alertChannels() {
    assertEquals(names(Arrays.stream(ChannelType.values()).map(ChannelType::wire)), listed("Channels: ", ". Per-channel"));
  }

  @Test
  void actionsRulesMayList() {
    assertEquals(names(Arrays.stream(ActionKind.values()).filter(k -> k.plan() != ActionKind.Plan.OPERATOR_ONLY)
        .map(ActionKind::wire)), listed("Actions: ", ". Severity comes"));
  }

  @Test
  void theActionTableHasARowPerAction() {
    int start = doc.indexOf("### The action table");
    String table = doc.substring(start, doc.indexOf("\n## ", start));
    Set<String> rows = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|").matcher(table);
    while (m.find()) rows.add(m.group(1));
    assertEquals(names(Arrays.stream(ActionKind.values()).map(ActionKind::wire)), rows);
  }

  private static Set<String> names(java.util.stream.Stream<String> s) {
    return s.collect(Collectors.toCollection(TreeSet::new));
  }

  /** The comma-separated names between two markers, without their parenthesised notes and {@code :<arg>} forms. */
  private static Set<String> listed(String from, String to) {
    int start = doc.indexOf(from) + from.length();
    String text = withoutParentheses(doc.substring(start, doc.indexOf(to, start)));
    Set<String> out = new TreeSet<>();
    for (String item : text.split(",")) {
      String name = item.replaceAll("\\.\\s*$", "").strip().replaceAll(":<[a-z]+>$", "");
      if (!name.isEmpty()) out.add(name);
    }
    return out;
  }

  private static String withoutParentheses(String s) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (char c : s.toCharArray()) {
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (depth == 0) out.append(c);
    }
    return out.toString();
  }
}
