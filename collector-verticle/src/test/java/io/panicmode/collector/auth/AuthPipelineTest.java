package io.panicmode.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.panicmode.contracts.AuthEvent;
import io.panicmode.runtime.MetricsRegistry;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthPipelineTest {
  @Test
  void publishingIsCappedPerSecondAndTheExcessCounted() {
    MetricsRegistry m = new MetricsRegistry();
    List<AuthEvent> out = new ArrayList<>();
    AtomicLong now = new AtomicLong(1_000_000);
    AuthPipeline p = new AuthPipeline("web1", SshdLineParser.forYear(ZoneOffset.UTC, 2026), AuthMode.NORMAL, out::add, now::get, m);
    byte[] line = "Nov 27 16:29:43 web1 sshd[1]: Invalid user x from 203.0.113.5 port 1".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < AuthPipeline.MAX_EVENTS_PER_SECOND + 5; i++) p.syslogLine(line, 0, line.length);
    assertEquals(AuthPipeline.MAX_EVENTS_PER_SECOND, out.size());
    assertEquals(5, m.counterValue("panicmode_collector_auth_events_dropped_total"));
    now.addAndGet(1000);
    p.syslogLine(line, 0, line.length);
    assertEquals(AuthPipeline.MAX_EVENTS_PER_SECOND + 1, out.size());
    assertEquals(AuthPipeline.MAX_EVENTS_PER_SECOND + 1,
        m.counterValue("panicmode_collector_auth_failures_total", "kind", "invalid_user"));
  }
}
