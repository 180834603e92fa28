package io.panicmode.api.dashboard;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The set of open Server-Sent-Events streams and the fan-out to them. Bounded three ways: at most
 * {@code maxClients} streams in all and {@code maxPerAddress} from one client address (further
 * ones are refused, so one client cannot take every slot), and a stream whose outgoing buffer is
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
  private final int maxPerAddress;
  private final Map<Client, String> clients = new LinkedHashMap<>();
  private final Map<String, Integer> perAddress = new HashMap<>();
  private final LongAdder refused;
  private final LongAdder cutOff;

  /**
   * @param refused counts streams refused because {@code maxClients}, or {@code maxPerAddress}
   *                from that address, were open
   * @param cutOff  counts streams closed because they could not keep up
   */
  public SseHub(int maxClients, int maxPerAddress, LongAdder refused, LongAdder cutOff) {
    if (maxClients < 1 || maxPerAddress < 1) throw new IllegalArgumentException("maxClients and maxPerAddress must be positive");
    this.maxClients = maxClients;
    this.maxPerAddress = maxPerAddress;
    this.refused = refused;
    this.cutOff = cutOff;
  }

  /**
   * Adds a stream from a client address; false (and nothing added) when {@code maxClients} are
   * already open, or {@code maxPerAddress} from that address.
   */
  public boolean add(Client c, String address) {
    if (clients.size() >= maxClients || perAddress.getOrDefault(address, 0) >= maxPerAddress) {
      refused.increment();
      return false;
    }
    clients.put(c, address);
    perAddress.merge(address, 1, Integer::sum);
    return true;
  }

  public void remove(Client c) {
    String address = clients.remove(c);
    if (address != null) perAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
  }

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
    for (Client c : clients.keySet()) {
      if (c.writable()) c.write(frame);
      else slow.add(c);
    }
    for (Client c : slow) {
      remove(c);
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
