package io.panicmode.api.ctl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP/1.1 request over a Unix socket ({@code java.net.http.HttpClient} speaks TCP only): the
 * request goes out with {@code Connection: close}, the answer is read to the end of the stream,
 * at most {@value #MAX_RESPONSE_BYTES} bytes, and the whole exchange is cut off after the timeout.
 */
final class UnixSocketHttp {
  static final int MAX_RESPONSE_BYTES = 32 << 20;

  /** Status and body of one answer. */
  record Response(int status, String body) {}

  /** Why the exchange failed, and whether the socket was there to talk to at all. */
  static final class Failure extends IOException {
    final boolean timedOut;

    Failure(String message, boolean timedOut) {
      super(message);
      this.timedOut = timedOut;
    }
  }

  private UnixSocketHttp() {}

  static Response exchange(Path socket, String method, String target, String jsonBody, Duration timeout) throws Failure {
    byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder()
        .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: localhost\r\nAccept: application/json\r\nConnection: close\r\n");
    if (jsonBody != null) head.append("Content-Type: application/json\r\n");
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ctl-timeout");
      t.setDaemon(true);
      return t;
    });
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      // Closing the channel from the timer wakes a blocked read or write with an exception.
      timer.schedule(() -> {
        expired.set(true);
        try {
          ch.close();
        } catch (IOException ignored) {
          // Closing is all the timer can do.
        }
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
      ch.connect(UnixDomainSocketAddress.of(socket));
      writeFully(ch, ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.US_ASCII)));
      writeFully(ch, ByteBuffer.wrap(body));
      return parse(readToEnd(ch));
    } catch (IOException e) {
      if (expired.get()) throw new Failure("no answer within " + timeout.toSeconds() + " s", true);
      if (e instanceof Failure f) throw f;
      throw new Failure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), false);
    } finally {
      timer.shutdownNow();
    }
  }

  private static void writeFully(SocketChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) ch.write(buf);
  }

  private static byte[] readToEnd(SocketChannel ch) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(16384);
    while (ch.read(buf) >= 0) {
      out.write(buf.array(), 0, buf.position());
      buf.clear();
      if (out.size() > MAX_RESPONSE_BYTES) throw new Failure("answer larger than " + MAX_RESPONSE_BYTES + " bytes", false);
    }
    return out.toByteArray();
  }

  /** Status line, headers, then a body that is either chunked or runs to the end of the stream. */
  static Response parse(byte[] raw) throws Failure {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0 || !text.startsWith("HTTP/1.")) throw new Failure("the ctl socket sent something that is not HTTP", false);
    String[] lines = text.substring(0, end).split("\r\n");
    int status;
    try {
      status = Integer.parseInt(lines[0].split(" ", 3)[1]);
    } catch (RuntimeException e) {
      throw new Failure("malformed HTTP status line from the ctl socket", false);
    }
    boolean chunked = false;
    int length = -1;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].toLowerCase(Locale.ROOT);
      if (line.startsWith("transfer-encoding:") && line.contains("chunked")) chunked = true;
      if (line.startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
    }
    int from = end + 4;
    byte[] body;
    if (chunked) {
      body = dechunk(raw, from);
    } else {
      int to = length >= 0 ? Math.min(raw.length, from + length) : raw.length;
      body = java.util.Arrays.copyOfRange(raw, from, to);
    }
    return new Response(status, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] raw, int pos) throws Failure {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      int lineEnd = indexOfCrlf(raw, pos);
      if (lineEnd < 0) throw new Failure("truncated chunked answer from the ctl socket", false);
      String sizeText = new String(raw, pos, lineEnd - pos, StandardCharsets.US_ASCII);
      int semi = sizeText.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semi < 0 ? sizeText : sizeText.substring(0, semi)).strip(), 16);
      } catch (NumberFormatException e) {
        throw new Failure("malformed chunk size from the ctl socket", false);
      }
      pos = lineEnd + 2;
      if (size == 0) return out.toByteArray();
      if (pos + size > raw.length) throw new Failure("truncated chunked answer from the ctl socket", false);
      out.write(raw, pos, size);
      pos += size + 2;
    }
  }

  private static int indexOfCrlf(byte[] raw, int from) {
    for (int i = from; i + 1 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') return i;
    }
    return -1;
  }
}
