package io.panicmode.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into argv the way a POSIX shell splits words, and nothing more: single
 * quotes keep everything literally, double quotes keep everything but {@code \" \\ \$ \`}, a
 * backslash outside quotes escapes the next character. No variables, globs, pipes or
 * redirections: {@code |} or {@code $x} reach the program as literal argument text. A pipeline
 * needs an explicit {@code /bin/sh -c "..."}, written by the admin, never built from input.
 */
public final class ArgvSplitter {
  private ArgvSplitter() {}

  public static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) throw new IllegalArgumentException("unterminated single quote at position " + i);
        word.append(line, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        inWord = true;
        i++;
        boolean closed = false;
        while (i < n) {
          char d = line.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          if (d == '\\' && i + 1 < n && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
            word.append(line.charAt(i + 1));
            i += 2;
          } else if (d == '\\' && i + 1 < n && line.charAt(i + 1) == '\n') {
            i += 2;
          } else {
            word.append(d);
            i++;
          }
        }
        if (!closed) throw new IllegalArgumentException("unterminated double quote");
      } else if (c == '\\') {
        if (i + 1 >= n) throw new IllegalArgumentException("trailing backslash");
        if (line.charAt(i + 1) != '\n') {
          word.append(line.charAt(i + 1));
          inWord = true;
        }
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) out.add(word.toString());
    if (out.isEmpty()) throw new IllegalArgumentException("empty command");
    return out;
  }
}
