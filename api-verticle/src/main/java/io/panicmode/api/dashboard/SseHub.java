package io.panicmode.api.dashboard;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The set of open Server-Sent-Events streams and the fan-out to them. Bounded twice: at most
 * {@code maxClients} streams (further ones are refused), and a stream whose outgoing buffer is
 * full is closed instead of buffered without limit (the browser's EventSource reconnects and the
 * page refetches what it shows, so a slow reader loses nothing for good). Not thread-safe: used
 * from one event loop.
 */
public final class SseHub {
  /** One open stream. */
  public interface Client {
    /** False when the transport's write queue is full: writing more would grow memory. */
    boolean writable();

    void write(String frame);

    void close();
  }

  private final int maxClients;
  private final Set<Client> clients = new LinkedHashSet<>();
  private final LongAdder refused;
  private final LongAdder cutOff;

  /**
   * @param refused counts streams refused because {@code maxClients} were open
   * @param cutOff  counts streams closed because they could not keep up
   */
  public SseHub(int maxClients, LongAdder refused, LongAdder cutOff) {
    if (maxClients < 1) throw new IllegalArgumentException("maxClients must be positive");
    this.maxClients = maxClients;
    this.refused = refused;
    this.cutOff = cutOff;
  }

  /** Adds a stream; false (and nothing added) when {@code maxClients} are already open. */
  public boolean add(Client c) {
    if (clients.size() >= maxClients) {
      refused.increment();
      return false;
    }
    clients.add(c);
    return true;
  }

  public void remove(Client c) { clients.remove(c); }

  /** Sends one event to every stream; streams that cannot take it are closed and removed. */
  public void broadcast(String event, JsonObject data) {
    send(frame(event, data));
  }

  /** A comment line that keeps idle proxies and the browser from timing the stream out. */
  public void keepAlive() {
    send(": keep-alive\n\n");
  }

  private void send(String frame) {
    List<Client> slow = new ArrayList<>();
    for (Client c : clients) {
      if (c.writable()) c.write(frame);
      else slow.add(c);
    }
    for (Client c : slow) {
      clients.remove(c);
      cutOff.increment();
      c.close();
    }
  }

  /**
   * One SSE frame. The event name is ours (a constant); the data is encoded JSON, which has no
   * raw line breaks, so attacker text inside it cannot start a new SSE field.
   */
  static String frame(String event, JsonObject data) {
    return "event: " + event + "\ndata: " + data.encode() + "\n\n";
  }

  public int size() { return clients.size(); }
}
