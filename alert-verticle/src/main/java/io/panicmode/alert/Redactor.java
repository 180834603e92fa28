package io.panicmode.alert;

import io.panicmode.config.PanicConfig;
import io.panicmode.config.Secret;
import io.panicmode.config.TwilioConfig;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Second wall for secrets: every text the alert verticle writes to a log, to stderr or into a
 * reply passes through {@link #apply}, which replaces each secret of the config (every
 * {@code @Secret} component, found by walking the config records, plus the Basic-auth form of
 * the Twilio credentials) with {@code <redacted>}. The first wall is that channels never build
 * error texts from URLs or exception messages.
 */
public final class Redactor {
  static final String MASK = "<redacted>";
  /** Shorter "secrets" would mask ordinary words; the config validator's job is to reject them. */
  static final int MIN_LENGTH = 4;

  private final List<String> secrets;

  Redactor(Collection<String> secrets) {
    List<String> s = new ArrayList<>();
    for (String v : secrets) if (v != null && v.length() >= MIN_LENGTH) s.add(v);
    // Longest first, so a secret that contains another is masked whole.
    s.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(new LinkedHashSet<>(s));
  }

  public static Redactor of(PanicConfig config) {
    Set<String> found = new LinkedHashSet<>();
    walk(config, found, 0);
    TwilioConfig t = config.integrations().twilio();
    if (t != null && t.accountSid() != null && t.authToken() != null) {
      found.add(Base64.getEncoder().encodeToString((t.accountSid() + ":" + t.authToken()).getBytes(StandardCharsets.UTF_8)));
    }
    return new Redactor(found);
  }

  public String apply(String text) {
    if (text == null) return null;
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) out = out.replace(s, MASK);
    }
    return out;
  }

  private static void walk(Object node, Set<String> out, int depth) {
    if (node == null || depth > 16) return;
    if (node instanceof Collection<?> c) {
      for (Object o : c) walk(o, out, depth + 1);
    } else if (node instanceof Map<?, ?> m) {
      for (Object o : m.values()) walk(o, out, depth + 1);
    } else if (node.getClass().isRecord()) {
      for (RecordComponent rc : node.getClass().getRecordComponents()) {
        Object v;
        try {
          v = rc.getAccessor().invoke(node);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read config component " + rc.getName(), e);
        }
        if (rc.isAnnotationPresent(Secret.class) && v instanceof String s) out.add(s);
        else walk(v, out, depth + 1);
      }
    }
  }
}
