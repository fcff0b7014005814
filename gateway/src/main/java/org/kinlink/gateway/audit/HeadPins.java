package org.kinlink.gateway.audit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Group commit for the head file: a batch is acknowledged once a signed head at or beyond its last
 * entry is durable in {@link AuditHeadFile}. While one head is being signed and fsynced, later
 * batches go on to Redis; when it is done, the newest head asked for meanwhile is pinned in one go
 * and covers them all, so the extra fsync is paid per burst rather than per batch.
 */
final class HeadPins {
  /** Signs and durably appends a head. */
  interface Pinner {
    Future<Void> pin(long seq, String hash, Instant at);
  }

  private record Wanted(long seq, String hash, long atMillis) {}

  private final Pinner pinner;
  private final TreeMap<Long, List<Promise<Void>>> waiting = new TreeMap<>();
  private Wanted newest;
  private long durableSeq;
  private boolean inFlight;

  HeadPins(Pinner pinner) {
    this.pinner = pinner;
  }

  /** Completes once a head at or beyond {@code seq} is durable (at once if one already is). */
  Future<Void> cover(long seq, String hash, long atMillis) {
    Promise<Void> promise = Promise.promise();
    synchronized (this) {
      if (seq <= durableSeq) {
        return Future.succeededFuture();
      }
      waiting.computeIfAbsent(seq, s -> new ArrayList<>()).add(promise);
      if (newest == null || seq > newest.seq()) {
        newest = new Wanted(seq, hash, atMillis);
      }
      if (inFlight) {
        return promise.future();
      }
      inFlight = true;
    }
    flush();
    return promise.future();
  }

  private void flush() {
    Wanted w;
    synchronized (this) {
      w = newest;
    }
    pinner.pin(w.seq(), w.hash(), Instant.ofEpochMilli(w.atMillis())).onComplete(ar -> {
      List<Promise<Void>> done = new ArrayList<>();
      boolean again;
      synchronized (this) {
        Map<Long, List<Promise<Void>>> covered = waiting.headMap(w.seq(), true);
        covered.values().forEach(done::addAll);
        covered.clear();
        if (ar.succeeded()) {
          durableSeq = Math.max(durableSeq, w.seq());
        }
        again = !waiting.isEmpty();
        inFlight = again;
      }
      for (Promise<Void> p : done) {
        if (ar.succeeded()) {
          p.complete();
        } else {
          p.fail(ar.cause());
        }
      }
      if (again) {
        flush();
      }
    });
  }
}
