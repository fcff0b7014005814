package org.kinlink.gateway.audit;

import io.lettuce.core.Range;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the chain head every {@code every} entries or every {@code interval}, whichever comes first,
 * and only when there are entries since the last checkpoint. Each checkpoint goes to Redis (so any
 * node or the CLI can check it) and, when it is newer, to this node's {@link AuditCheckpointFile}.
 * Checkpoints are taken one at a time; requests arriving meanwhile coalesce into the next one.
 */
public final class AuditCheckpointer {
  private static final Logger log = LoggerFactory.getLogger(AuditCheckpointer.class);

  private final Vertx vertx;
  private final Redis redis;
  private final String ns;
  private final AuditSigningKey key;
  private final AuditCheckpointFile file;
  private final Clock clock;
  private final int every;
  private final Duration interval;
  private final AtomicBoolean queued = new AtomicBoolean();
  private Future<Optional<AuditCheckpoint>> last = Future.succeededFuture(Optional.empty());
  private volatile long lastSignedSeq;
  private volatile long fileSeq;
  private long timer = -1;

  public AuditCheckpointer(Vertx vertx, Redis redis, String namespace, AuditSigningKey key, AuditCheckpointFile file,
      Clock clock, int every, Duration interval) {
    this.vertx = vertx;
    this.redis = redis;
    this.ns = namespace;
    this.key = key;
    this.file = file;
    this.clock = clock;
    this.every = Math.max(1, every);
    this.interval = interval;
  }

  /** Publishes the public key, learns where the last checkpoint is, and starts the timer. */
  public Future<Void> start() {
    Future<Long> published = redis.call(c -> c.hset(Keys.auditKeys(ns), key.keyId(), key.publicKeyBase64()))
        .map(b -> 0L);
    Future<Optional<AuditCheckpoint>> inFile = vertx.executeBlocking(file::read, false);
    Future<Long> latestInRedis = redis.call(c -> c.zrevrangebyscoreWithScores(Keys.auditCheckpoints(ns),
            Range.create(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), io.lettuce.core.Limit.create(0, 1)))
        .map(list -> list.isEmpty() ? 0L : (long) list.get(0).getScore());
    return Future.all(published, inFile, latestInRedis).map(all -> {
      fileSeq = inFile.result().map(AuditCheckpoint::seq).orElse(0L);
      lastSignedSeq = latestInRedis.result();
      if (!interval.isZero() && !interval.isNegative()) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> checkpoint()
            .onFailure(e -> log.warn("periodic audit checkpoint failed: {}", e.toString())));
      }
      return null;
    });
  }

  /** Stops the timer and signs whatever was appended since the last checkpoint. */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return checkpoint().mapEmpty();
  }

  /** Called after each durable append with the new head seq. */
  void appended(long headSeq) {
    if (headSeq - lastSignedSeq >= every && queued.compareAndSet(false, true)) {
      checkpoint().onFailure(e -> log.warn("audit checkpoint failed: {}", e.toString()));
    }
  }

  /** Signs the current head now, unless it is already signed; completes with the new checkpoint, if any. */
  public synchronized Future<Optional<AuditCheckpoint>> checkpoint() {
    Future<Optional<AuditCheckpoint>> next = last.transform(ignored -> take());
    last = next;
    return next;
  }

  private Future<Optional<AuditCheckpoint>> take() {
    queued.set(false);
    return redis.call(c -> c.hmget(Keys.auditHead(ns), "seq", "hash")).compose(values -> {
      long seq = Long.parseLong(values.get(0).getValueOrElse("0"));
      if (seq == 0 || seq <= lastSignedSeq) {
        return Future.succeededFuture(Optional.<AuditCheckpoint>empty());
      }
      AuditCheckpoint cp = AuditCheckpoint.sign(seq, values.get(1).getValue(), clock.instant(), key);
      return redis.call(c -> c.zadd(Keys.auditCheckpoints(ns), (double) seq, cp.encode()))
          .compose(added -> {
            // signed in Redis: count from here now, so appends during the file write don't re-trigger
            lastSignedSeq = Math.max(lastSignedSeq, seq);
            return Future.succeededFuture(added);
          })
          .compose(added -> seq > fileSeq ? vertx.executeBlocking(() -> {
            file.write(cp);
            return null;
          }, false) : Future.succeededFuture())
          .map(v -> {
            lastSignedSeq = Math.max(lastSignedSeq, seq);
            fileSeq = Math.max(fileSeq, seq);
            return Optional.of(cp);
          });
    });
  }

  /**
   * Signs a batch's new head and appends it to the head file (fsync) on a worker: the batch is
   * acknowledged only after this, so every acknowledged entry is covered by a signature outside Redis.
   */
  Future<Void> pin(long seq, String hash, Instant at) {
    AuditHeadFile heads = file.heads();
    return vertx.executeBlocking(() -> {
      heads.append(AuditCheckpoint.sign(seq, hash, at, key));
      return null;
    }, true);
  }

  /** This node's signing key. */
  public AuditSigningKey key() {
    return key;
  }

  /** Where this node keeps its latest checkpoint. */
  public AuditCheckpointFile file() {
    return file;
  }
}
