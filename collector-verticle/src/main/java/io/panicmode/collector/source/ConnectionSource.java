package io.panicmode.collector.source;

import io.panicmode.collector.proc.LongSet;
import io.panicmode.collector.proc.NetTcpParser;
import io.panicmode.contracts.MetricNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * connections_total, connections_per_ip and connection_rate from /proc/net/tcp and tcp6.
 *
 * <p>connection_rate is defined as: the number of ESTABLISHED sockets in this read whose
 * (local address, local port, remote address, remote port) was not ESTABLISHED in the previous
 * read, divided by the real seconds between the two reads. A connection opened and closed
 * between two reads is not seen; one that stays open is counted once.
 */
public final class ConnectionSource implements MetricSource {
  private final ProcRoot proc;
  private final LongSupplier nanos;
  private byte[] buf = new byte[1 << 16];
  private LongSet previous;
  private int lastEstablished;
  private long previousNanos;

  public ConnectionSource(ProcRoot proc, LongSupplier nanos) {
    this.proc = proc;
    this.nanos = nanos;
  }

  @Override public String name() { return "connections"; }

  @Override
  public List<String> metrics() {
    return List.of(MetricNames.CONNECTIONS_TOTAL, MetricNames.CONNECTIONS_PER_IP, MetricNames.CONNECTION_RATE);
  }

  @Override public void prime() throws Exception {
    previous = read().tuples();
    previousNanos = nanos.getAsLong();
  }

  @Override
  public void collect(Readings out) throws Exception {
    NetTcpParser.Connections c = read();
    long t = nanos.getAsLong();
    out.gauge(MetricNames.CONNECTIONS_TOTAL, c.established());
    out.emptySeries(MetricNames.CONNECTIONS_PER_IP);
    c.perIp().forEach((ip, n) -> out.series(MetricNames.CONNECTIONS_PER_IP, ip, n));
    if (previous == null || t <= previousNanos) {
      out.unavailable(MetricNames.CONNECTION_RATE, "first sample: no interval yet");
    } else {
      out.gauge(MetricNames.CONNECTION_RATE, c.tuples().countNotIn(previous) / ((t - previousNanos) / 1e9));
    }
    previous = c.tuples();
    previousNanos = t;
  }

  /** Reads tcp (required) and tcp6 (absent when IPv6 is disabled) into one count. */
  public NetTcpParser.Connections read() throws IOException {
    NetTcpParser.Connections c = new NetTcpParser.Connections(lastEstablished);
    int n = readFully(proc.resolve("net/tcp"));
    NetTcpParser.parse(buf, n, false, c);
    try {
      n = readFully(proc.resolve("net/tcp6"));
      NetTcpParser.parse(buf, n, true, c);
    } catch (NoSuchFileException e) {
      // IPv6 disabled on this host: no v6 sockets to count.
    }
    lastEstablished = c.established();
    return c;
  }

  /** /proc files report size 0, so read until EOF into a buffer kept between cycles. */
  private int readFully(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      int n = 0;
      while (true) {
        if (n == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) return n;
        n += r;
      }
    }
  }
}
