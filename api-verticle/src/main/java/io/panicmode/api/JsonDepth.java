package io.panicmode.api;

import io.vertx.core.buffer.Buffer;

/**
 * How deeply a JSON text nests objects and arrays, found by one linear pass over its bytes without
 * parsing it: the recursive parser is never handed a body that could overflow its stack (a body
 * nested 900 deep used to end in StackOverflowError and a 500).
 */
final class JsonDepth {
  private JsonDepth() {}

  /** Deepest nesting allowed in a request body; every body the API accepts is 1 or 2 deep. */
  static final int MAX = 32;

  /** True when {@code json} nests deeper than {@code limit}; stops scanning at the first level too deep. */
  static boolean exceeds(Buffer json, int limit) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0, n = json.length(); i < n; i++) {
      byte b = json.getByte(i);
      if (inString) {
        if (b == '\\') i++;
        else if (b == '"') inString = false;
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > limit) return true;
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    return false;
  }
}
