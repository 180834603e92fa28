package io.panicmode.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md stays current: every key the loader accepts is documented there. */
class ConfigDocsTest {
  @Test
  void everyKeyIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("../docs/configuration.md"));
    List<String> missing = new ArrayList<>();
    for (String key : keys(PanicConfig.class, "")) {
      if (!doc.contains("`" + key + "`")) missing.add(key);
    }
    assertTrue(missing.isEmpty(), "undocumented config keys: " + missing);
  }

  private static List<String> keys(Class<?> record, String prefix) {
    List<String> out = new ArrayList<>();
    for (RecordComponent c : record.getRecordComponents()) {
      String key = prefix + ConfigBinder.snake(c.getName());
      Type t = c.getGenericType();
      if (c.getType().isRecord()) {
        out.addAll(keys(c.getType(), key + "."));
      } else if (t instanceof ParameterizedType p && p.getActualTypeArguments()[p.getActualTypeArguments().length - 1]
          instanceof Class<?> inner && inner.isRecord()) {
        out.addAll(keys(inner, key + (c.getType() == List.class ? "[]." : ".<name>.")));
      } else {
        out.add(key);
      }
    }
    return out;
  }
}
