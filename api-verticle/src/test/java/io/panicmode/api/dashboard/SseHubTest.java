package io.panicmode.api.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class SseHubTest {
  private static final class FakeClient implements SseHub.Client {
    final List<String> frames = new ArrayList<>();
    boolean writable = true;
    boolean closed;

    @Override public boolean writable() { return writable; }
    @Override public void write(String frame) { frames.add(frame); }
    @Override public void close() { closed = true; }
  }

  private final LongAdder refused = new LongAdder();
  private final LongAdder cut = new LongAdder();

  @Test
  void everyClientGetsEveryEventAsOneFrame() {
    SseHub hub = new SseHub(4, 4, refused, cut);
    FakeClient a = new FakeClient();
    FakeClient b = new FakeClient();
    hub.add(a, "192.0.2.1");
    hub.add(b, "192.0.2.2");
    hub.broadcast("incident", new JsonObject().put("id", "i-1"));
    assertEquals(List.of("event: incident\ndata: {\"id\":\"i-1\"}\n\n"), a.frames);
    assertEquals(a.frames, b.frames);
  }

  @Test
  void attackerTextCannotStartANewField() {
    String frame = SseHub.frame("incident", new JsonObject().put("description", "x\n\nevent: heartbeat\ndata: {}\r\n"));
    // One event line, one data line, the blank terminator: the newlines inside stay escaped in the JSON.
    assertEquals(4, frame.split("\n", -1).length);
    assertTrue(frame.startsWith("event: incident\ndata: {"));
  }

  @Test
  void refusesClientsBeyondTheBound() {
    SseHub hub = new SseHub(1, 1, refused, cut);
    assertTrue(hub.add(new FakeClient(), "192.0.2.1"));
    assertFalse(hub.add(new FakeClient(), "192.0.2.2"));
    assertEquals(1, refused.sum());
    assertEquals(1, hub.size());
  }

  @Test
  void oneAddressCannotTakeEverySlot() {
    SseHub hub = new SseHub(4, 2, refused, cut);
    FakeClient first = new FakeClient();
    assertTrue(hub.add(first, "192.0.2.1"));
    assertTrue(hub.add(new FakeClient(), "192.0.2.1"));
    assertFalse(hub.add(new FakeClient(), "192.0.2.1"), "a third stream from the same address is refused");
    assertTrue(hub.add(new FakeClient(), "192.0.2.2"), "another address still gets a slot");
    hub.remove(first);
    assertTrue(hub.add(new FakeClient(), "192.0.2.1"), "a closed stream frees its address's slot");
    assertEquals(1, refused.sum());
  }

  @Test
  void aClientThatCannotKeepUpIsClosedNotBuffered() {
    SseHub hub = new SseHub(4, 4, refused, cut);
    FakeClient fast = new FakeClient();
    FakeClient slow = new FakeClient();
    hub.add(fast, "192.0.2.1");
    hub.add(slow, "192.0.2.2");
    slow.writable = false;
    hub.broadcast("heartbeat", new JsonObject());
    hub.keepAlive();
    assertTrue(slow.closed);
    assertTrue(slow.frames.isEmpty());
    assertEquals(2, fast.frames.size());
    assertEquals(": keep-alive\n\n", fast.frames.get(1));
    assertEquals(1, hub.size());
    assertEquals(1, cut.sum());
  }

  @Test
  void removedClientsGetNothing() {
    SseHub hub = new SseHub(4, 4, refused, cut);
    FakeClient a = new FakeClient();
    hub.add(a, "192.0.2.1");
    hub.remove(a);
    hub.broadcast("incident", new JsonObject());
    assertTrue(a.frames.isEmpty());
    assertEquals(0, hub.size());
  }
}
