package io.panicmode.collector.custom;

import io.panicmode.config.OutputFormat;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Turns a custom command's stdout into one finite number, per {@code output_format}. */
public final class OutputParser {
  private OutputParser() {}

  /** @throws IllegalArgumentException with a reason fit for the unavailable map */
  public static double parse(String stdout, OutputFormat format) {
    return switch (format) {
      case NUMBER -> number(stdout.trim());
      case JSON -> json(stdout.trim());
      case TEXT -> stdout.lines().filter(l -> !l.isBlank()).count();
    };
  }

  /** A plain decimal number: sign, digits, fraction, exponent; no "NaN", "Infinity", hex or Java suffixes. */
  static double number(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
    int digits = 0;
    while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) { i++; digits++; }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) { i++; digits++; }
    }
    if (digits > 0 && i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
      int exp = 0;
      while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) { i++; exp++; }
      if (exp == 0) digits = 0;
    }
    if (digits == 0 || i != n || n > 64) {
      throw new IllegalArgumentException("output is not a number: \"" + preview(s) + "\"");
    }
    double d = Double.parseDouble(s);
    if (!Double.isFinite(d)) throw new IllegalArgumentException("output is out of range: \"" + preview(s) + "\"");
    return d;
  }

  static double json(String s) {
    JsonObject o;
    try {
      o = new JsonObject(s);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("output is not a JSON object: \"" + preview(s) + "\"");
    }
    Object v = o.getValue("value");
    if (!(v instanceof Number num)) throw new IllegalArgumentException("JSON output has no numeric \"value\"");
    double d = num.doubleValue();
    if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON \"value\" is not finite");
    return d;
  }

  private static String preview(String s) {
    String p = s.length() > 60 ? s.substring(0, 60) + "..." : s;
    StringBuilder sb = new StringBuilder();
    for (char c : p.toCharArray()) sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    return sb.toString();
  }
}
