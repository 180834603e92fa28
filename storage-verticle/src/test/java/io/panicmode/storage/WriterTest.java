package io.panicmode.storage;

import static io.panicmode.storage.Fixtures.HOST;
import static io.panicmode.storage.Fixtures.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panicmode.contracts.ActionResult;
import io.panicmode.contracts.Incident;
import io.panicmode.contracts.Severity;
import io.panicmode.contracts.StorageWrite;
import io.panicmode.contracts.Subjects;
import io.panicmode.runtime.MetricsRegistry;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterTest {
  @TempDir Path dir;

  @Test
  void sameWriteIdAndSameIncidentIdAreOneRow() throws Exception {
    Path db = dir.resolve("i.db");
    Incident fired = Fixtures.incident("inc-1", HOST, "high_cpu", Severity.CRITICAL, 1_000);
    try (Writer w = Fixtures.writer(db, Clock.systemUTC(), Fixtures.fast(100), new Fixtures.Events())) {
      assertNull(w.start().get(10, TimeUnit.SECONDS));
      assertFalse(w.submit(Fixtures.incidentWrite(fired)).get(10, TimeUnit.SECONDS).duplicate());
      assertTrue(w.submit(Fixtures.incidentWrite(fired)).get(10, TimeUnit.SECONDS).duplicate());
      // The resolved event is another write of the same incident: same row, now resolved.
      assertFalse(w.submit(Fixtures.incidentWrite(fired.resolved(2_000))).get(10, TimeUnit.SECONDS).duplicate());
      // A late retry of the firing event under a new write id must not reopen it.
      w.submit(Fixtures.decoded(new StorageWrite("retry-x", StorageWrite.Kind.INCIDENT, fired.toJson()))).get(10, TimeUnit.SECONDS);
    }
    assertEquals(1, count(db, "SELECT count(*) FROM incidents"));
    assertEquals(1, count(db, "SELECT count(*) FROM incidents WHERE state = 'resolved' AND resolved_at = 2000"));
  }

  @Test
  void everyAcknowledgedWriteSurvivesARestart() throws Exception {
    Path db = dir.resolve("durable.db");
    int n = 3_000;
    List<CompletableFuture<Writer.Outcome>> acks = new ArrayList<>();
    try (Writer w = Fixtures.writer(db, Clock.systemUTC(), Fixtures.fast(n), new Fixtures.Events())) {
      assertNull(w.start().get(10, TimeUnit.SECONDS));
      for (int i = 0; i < n; i++) {
        acks.add(w.submit(Fixtures.incidentWrite(Fixtures.incident("d-" + i, HOST, "r" + (i % 7), Severity.WARNING, i))));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    assertEquals(n, count(db, "SELECT count(*) FROM incidents"));
    // The writer batched: far fewer transactions than writes.
    try (Writer w = Fixtures.writer(db, Clock.systemUTC(), Fixtures.fast(10), new Fixtures.Events())) {
      assertNull(w.start().get(10, TimeUnit.SECONDS));
      assertTrue(w.submit(Fixtures.incidentWrite(Fixtures.incident("d-7", HOST, "r0", Severity.WARNING, 7)))
          .get(10, TimeUnit.SECONDS).duplicate());
    }
  }

  @Test
  void writesAreBatched() throws Exception {
    Path db = dir.resolve("batch.db");
    MetricsRegistry m = new MetricsRegistry();
    List<CompletableFuture<Writer.Outcome>> acks = new ArrayList<>();
    try (Writer w = new Writer(db, HOST, Clock.systemUTC(), Duration.ofDays(1), Fixtures.fast(5_000), new Fixtures.Events(), m)) {
      for (int i = 0; i < 2_000; i++) {
        acks.add(w.submit(Fixtures.incidentWrite(Fixtures.incident("b-" + i, HOST, "r", Severity.INFO, i))));
      }
      w.start().get(10, TimeUnit.SECONDS);
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    assertEquals(2_000, m.counterValue("panicmode_storage_writes_total"));
    long batches = m.counterValue("panicmode_storage_batches_total");
    assertTrue(batches <= 10, "2000 queued writes took " + batches + " transactions");
  }

  @Test
  void badWriteFailsAloneAndTheRestOfItsBatchIsStored() throws Exception {
    Path db = dir.resolve("bad.db");
    // NaN is stored as NULL by SQLite, which the NOT NULL column refuses: a write-specific failure.
    Incident bad = new Incident("nan", HOST, "r", "cpu_usage", Severity.INFO, Incident.State.FIRING, "", "", Double.NaN,
        1, Subjects.NONE, List.of(), 5, null);
    List<CompletableFuture<Writer.Outcome>> acks = new ArrayList<>();
    try (Writer w = Fixtures.writer(db, Clock.systemUTC(), Fixtures.fast(100), new Fixtures.Events())) {
      acks.add(w.submit(Fixtures.incidentWrite(Fixtures.incident("ok-1", HOST, "r", Severity.INFO, 1))));
      acks.add(w.submit(new WriteApplier.Decoded("bad", StorageWrite.Kind.INCIDENT, bad)));
      acks.add(w.submit(Fixtures.incidentWrite(Fixtures.incident("ok-2", HOST, "r", Severity.INFO, 2))));
      w.start().get(10, TimeUnit.SECONDS);
      acks.get(0).get(10, TimeUnit.SECONDS);
      acks.get(2).get(10, TimeUnit.SECONDS);
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> acks.get(1).get(10, TimeUnit.SECONDS));
      assertFalse(((StorageException) e.getCause()).environmental());
      assertFalse(w.isDegraded());
    }
    assertEquals(2, count(db, "SELECT count(*) FROM incidents"));
  }

  @Test
  void blockLedgerCountsOffencesAndKeepsUnblockHistory() throws Exception {
    Path db = dir.resolve("ledger.db");
    String ip = "203.0.113.9";
    try (Writer w = Fixtures.writer(db, Clock.systemUTC(), Fixtures.fast(100), new Fixtures.Events())) {
      w.start().get(10, TimeUnit.SECONDS);
      w.submit(Fixtures.blockWrite(HOST, ip, 1_000, 5_000L, "c1")).get(10, TimeUnit.SECONDS);
      // A retried write id is acknowledged as a duplicate and changes nothing.
      assertTrue(w.submit(Fixtures.blockWrite(HOST, ip, 1_000, 5_000L, "c1")).get(10, TimeUnit.SECONDS).duplicate());
      // Same ban reported twice (action verticle and api): still the first offence.
      w.submit(Fixtures.blockWrite(HOST, ip, 1_000, 5_000L, "c1-api")).get(10, TimeUnit.SECONDS);
      assertEquals(1, count(db, "SELECT count FROM blocks"));
      w.submit(Fixtures.decoded(new StorageWrite("u1", StorageWrite.Kind.UNBLOCK,
          new Unblock(HOST, ip, 2_000, "operator", "wrong ban").toJson()))).get(10, TimeUnit.SECONDS);
      // A second unblock of a ban no longer in force changes nothing.
      w.submit(Fixtures.decoded(new StorageWrite("u2", StorageWrite.Kind.UNBLOCK,
          new Unblock(HOST, ip, 2_500, "expiry", "").toJson()))).get(10, TimeUnit.SECONDS);
      assertEquals(0, count(db, "SELECT active FROM blocks"));
      w.submit(Fixtures.blockWrite(HOST, ip, 3_000, null, "c2")).get(10, TimeUnit.SECONDS);
      w.submit(Fixtures.decoded(StorageWrite.actionResult(new ActionResult("c2", HOST, "block_ip",
          ActionResult.Status.DONE, "", false, List.of(ip), 3_001)))).get(10, TimeUnit.SECONDS);
    }
    assertEquals(2, count(db, "SELECT count FROM blocks WHERE ip = '" + ip + "' AND active = 1 AND expires_at IS NULL"));
    assertEquals(1, count(db, "SELECT count(*) FROM blocks"));
    assertEquals(3, count(db, "SELECT count(*) FROM block_events WHERE event = 'block'"));
    assertEquals(1, count(db, "SELECT count(*) FROM block_events WHERE event = 'unblock' AND by = 'operator'"));
    assertEquals(1, count(db, "SELECT count(*) FROM action_results WHERE command_id = 'c2' AND status = 'done'"));
  }

  @Test
  void retentionPrunesOnlyOldRows() throws Exception {
    Path db = dir.resolve("ret.db");
    long day = Duration.ofDays(1).toMillis();
    Fixtures.ManualClock clock = new Fixtures.ManualClock(10 * day);
    try (Writer w = Fixtures.writer(db, clock, Fixtures.fast(100), new Fixtures.Events())) {
      w.start().get(10, TimeUnit.SECONDS);
      w.submit(Fixtures.incidentWrite(Fixtures.incident("old", HOST, "r", Severity.INFO, 10 * day))).get(10, TimeUnit.SECONDS);
      w.submit(Fixtures.blockWrite(HOST, "203.0.113.1", 10 * day, 10 * day + 1_000, "old-ban")).get(10, TimeUnit.SECONDS);
      clock.millis.set(12 * day);
      w.submit(Fixtures.incidentWrite(Fixtures.incident("new", HOST, "r", Severity.INFO, 12 * day))).get(10, TimeUnit.SECONDS);
      w.submit(Fixtures.blockWrite(HOST, "203.0.113.2", 12 * day, null, "new-ban")).get(10, TimeUnit.SECONDS);
      w.requestPrune();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (count(db, "SELECT count(*) FROM incidents") != 1 && System.nanoTime() < deadline) Thread.sleep(50);
    }
    assertEquals(1, count(db, "SELECT count(*) FROM incidents WHERE incident_id = 'new'"));
    assertEquals(1, count(db, "SELECT count(*) FROM incidents"));
    assertEquals(1, count(db, "SELECT count(*) FROM blocks WHERE ip = '203.0.113.2'"));
    assertEquals(1, count(db, "SELECT count(*) FROM blocks"));
    assertEquals(0, count(db, "SELECT count(*) FROM applied_writes WHERE applied_at < " + 11 * day));
  }

  @Test
  void unopenableDirectoryDegradesBuffersAndRecoversWithoutLosingWrites() throws Exception {
    Path blocker = dir.resolve("var");
    Files.writeString(blocker, "a file where the data directory should be");
    Path db = blocker.resolve("incidents.db");
    Fixtures.Events events = new Fixtures.Events();
    MetricsRegistry m = new MetricsRegistry();
    try (Writer w = new Writer(db, HOST, Clock.systemUTC(), Duration.ofDays(1), Fixtures.fast(3), events, m)) {
      String reason = w.start().get(10, TimeUnit.SECONDS);
      assertNotNull(reason);
      assertTrue(reason.contains("cannot create directory"), reason);
      assertTrue(w.isDegraded());
      assertEquals(1, events.log.size());
      List<CompletableFuture<Writer.Outcome>> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) held.add(w.submit(Fixtures.incidentWrite(Fixtures.incident("h" + i, HOST, "r", Severity.INFO, i))));
      // Buffer of 3 is full: the fourth is refused at once, and counted.
      ExecutionException full = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> w.submit(Fixtures.incidentWrite(Fixtures.incident("h3", HOST, "r", Severity.INFO, 3))).get(1, TimeUnit.SECONDS));
      assertTrue(full.getCause().getMessage().contains("buffer full"));
      assertEquals(1, m.counterValue("panicmode_storage_writes_rejected_total"));
      // Nothing acknowledged while nothing is stored.
      Thread.sleep(400);
      for (CompletableFuture<Writer.Outcome> f : held) assertFalse(f.isDone());
      Files.delete(blocker);
      for (CompletableFuture<Writer.Outcome> f : held) f.get(10, TimeUnit.SECONDS);
      assertFalse(w.isDegraded());
    }
    assertEquals(List.of("recovered"), events.log.subList(1, events.log.size()));
    assertEquals(3, count(db, "SELECT count(*) FROM incidents"));
  }

  @Test
  void garbageFileIsDetectedAtStart() throws Exception {
    Path db = dir.resolve("garbage.db");
    byte[] junk = new byte[8192];
    new java.util.Random(7).nextBytes(junk);
    Files.write(db, junk);
    assertDegradedAndNothingAcked(db, "garbage");
  }

  @Test
  void corruptedPagesAreFoundByTheQuickCheck() throws Exception {
    Path db = dir.resolve("corrupt.db");
    try (Writer w = Fixtures.writer(db, Clock.systemUTC(), Fixtures.fast(5_000), new Fixtures.Events())) {
      w.start().get(10, TimeUnit.SECONDS);
      List<CompletableFuture<Writer.Outcome>> acks = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) acks.add(w.submit(Fixtures.incidentWrite(Fixtures.incident("c" + i, HOST, "r", Severity.INFO, i))));
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
    // Checkpointed on close: the rows live in the main file now. Scribble over a few pages past the header.
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      assertTrue(f.length() > 20 * 4096, "database too small to corrupt: " + f.length());
      byte[] junk = new byte[3 * 4096];
      java.util.Arrays.fill(junk, (byte) 0x5a);
      f.seek(8 * 4096);
      f.write(junk);
    }
    assertDegradedAndNothingAcked(db, "corrupt");
  }

  private void assertDegradedAndNothingAcked(Path db, String what) throws Exception {
    Fixtures.Events events = new Fixtures.Events();
    try (Writer w = Fixtures.writer(db, Clock.systemUTC(), Fixtures.fast(10), events)) {
      String reason = w.start().get(10, TimeUnit.SECONDS);
      assertNotNull(reason, what + " database opened as healthy");
      assertTrue(w.isDegraded());
      assertTrue(events.log.get(0).startsWith("degraded"), events.log.toString());
      CompletableFuture<Writer.Outcome> f = w.submit(Fixtures.incidentWrite(Fixtures.incident("z", HOST, "r", Severity.INFO, 1)));
      org.junit.jupiter.api.Assertions.assertThrows(TimeoutException.class, () -> f.get(500, TimeUnit.MILLISECONDS));
    }
  }
}
