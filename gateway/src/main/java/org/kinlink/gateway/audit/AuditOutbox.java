package org.kinlink.gateway.audit;

import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every audited write commit together with its audit entry, even if the node that wrote it
 * dies (or Redis blinks) between the commit and the append. A capability's write script parks the
 * change's {@link #entry entry} in an outbox hash in the same atomic step as the change; the writer
 * then {@link #complete completes} it (optional work such as announcing, the audit append, removal
 * from the outbox) and only then answers the client. Whatever is still parked after a grace period
 * is completed by the sweeper on any node, one node per change at a time (a lease).
 *
 * <p>A change can be completed twice (a crash after the append, before the removal; a sweeper racing
 * a slow writer); the append is idempotent per change id ({@code audit-append.lua}), so it is on the
 * record exactly once.
 *
 * <p>Each capability registers a {@link Lane}: where its outbox hashes are and what to do besides
 * the append.
 */
public final class AuditOutbox {
  /** The detail every parked audit event carries. */
  public static final String CHANGE_ID = "change_id";
  private static final Logger log = LoggerFactory.getLogger(AuditOutbox.class);
  private static final long LEASE_SECONDS = 60;
  private static final int MAX_PER_KEY = 100;

  /** An outbox hash that may hold due entries, and how to forget it once found empty. */
  public record Candidate(String outboxKey, Supplier<Future<Void>> release) {
    public static Candidate of(String outboxKey) {
      return new Candidate(outboxKey, Future::succeededFuture);
    }
  }

  /** One capability's outboxes. */
  public interface Lane {
    /** Outbox hashes that may hold entries parked at or before {@code cutoffMillis}. */
    Future<List<Candidate>> candidates(long cutoffMillis);

    /** Done before the append when a sweeper completes an entry. */
    default Future<Void> beforeAudit(JsonObject entry) {
      return Future.succeededFuture();
    }

    /**
     * Whether an entry stays parked until {@link #beforeAudit} succeeds (the lane's repair is what
     * makes the change whole), rather than being appended anyway with the failure logged (the work is
     * a courtesy, such as an announcement other nodes also get another way).
     */
    default boolean beforeAuditRequired() {
      return false;
    }
  }

  private final Redis redis;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration grace;
  private final List<Lane> lanes = new CopyOnWriteArrayList<>();
  private long timer = -1;

  public AuditOutbox(Redis redis, AuditLog audit, Clock clock, Duration grace) {
    this.redis = redis;
    this.audit = audit;
    this.clock = clock;
    this.grace = grace;
  }

  /** Sweeps {@code lane} too. */
  public AuditOutbox lane(Lane lane) {
    lanes.add(lane);
    return this;
  }

  /** A new change id. */
  public static String newChangeId() {
    return UUID.randomUUID().toString();
  }

  /** The parked form of a change: {@code {change_id, at, audit}} (the audit event carries the change id). */
  public static JsonObject entry(String changeId, long atMillis, AuditEvent event) {
    return new JsonObject().put(CHANGE_ID, changeId).put("at", atMillis).put("audit", event.withChangeId(changeId).toJson());
  }

  /** Runs {@code before} (its failure is logged), appends the entry's audit event, then removes it from the outbox. */
  public Future<Void> complete(String outboxKey, JsonObject entry, Supplier<Future<Void>> before) {
    return complete(outboxKey, entry, before, false);
  }

  /**
   * As {@link #complete(String, JsonObject, Supplier)}, but a failure of {@code before} fails the
   * completion and leaves the entry parked, for a sweeper to try again.
   */
  public Future<Void> completeAfter(String outboxKey, JsonObject entry, Supplier<Future<Void>> before) {
    return complete(outboxKey, entry, before, true);
  }

  private Future<Void> complete(String outboxKey, JsonObject entry, Supplier<Future<Void>> before, boolean required) {
    String changeId = entry.getString(CHANGE_ID);
    Future<Void> ready = required ? before.get() : before.get().recover(e -> {
      log.warn("work before auditing change {} failed; the audit entry is still written", changeId, e);
      return Future.succeededFuture();
    });
    return ready
        .compose(v -> audit.append(AuditEvent.fromJson(entry.getJsonObject("audit")).withChangeId(changeId)))
        .compose(v -> redis.call(c -> c.hdel(outboxKey, changeId)))
        .mapEmpty();
  }

  /** Completes the entry with nothing to do besides the append. */
  public Future<Void> complete(String outboxKey, JsonObject entry) {
    return complete(outboxKey, entry, Future::succeededFuture);
  }

  /** Completes one change if it is still parked (a retry finding its first answer; a sweeper under its lease). */
  public Future<Void> completeIfParked(String outboxKey, String changeId, Function<JsonObject, Future<Void>> before) {
    return completeIfParked(outboxKey, changeId, before, false);
  }

  private Future<Void> completeIfParked(String outboxKey, String changeId, Function<JsonObject, Future<Void>> before,
      boolean required) {
    return redis.call(c -> c.hget(outboxKey, changeId)).compose(json -> {
      if (json == null) {
        return Future.succeededFuture();
      }
      JsonObject entry = new JsonObject(json);
      return complete(outboxKey, entry, () -> before.apply(entry), required);
    });
  }

  /** Starts sweeping every {@code every}. */
  public void start(Vertx vertx, Duration every) {
    timer = vertx.setPeriodic(every.toMillis(), id -> sweep().onFailure(e -> log.warn("audit outbox sweep failed", e)));
  }

  /** Stops sweeping. */
  public void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** One pass over every lane: completes entries parked longer than the grace period; answers how many it completed. */
  public Future<Integer> sweep() {
    long cutoff = clock.millis() - grace.toMillis();
    Future<Integer> chain = Future.succeededFuture(0);
    for (Lane lane : lanes) {
      chain = chain.compose(n -> lane.candidates(cutoff).compose(candidates -> {
        Future<Integer> inLane = Future.succeededFuture(n);
        for (Candidate c : candidates) {
          inLane = inLane.compose(m -> sweepKey(lane, c, cutoff).map(k -> m + k));
        }
        return inLane;
      }));
    }
    return chain;
  }

  private Future<Integer> sweepKey(Lane lane, Candidate candidate, long cutoff) {
    String key = candidate.outboxKey();
    return redis.<Map<String, String>>call(c -> c.hgetall(key)).compose(parked -> {
      List<JsonObject> due = new ArrayList<>();
      for (String json : parked.values()) {
        JsonObject entry = new JsonObject(json);
        if (entry.getLong("at", 0L) <= cutoff && due.size() < MAX_PER_KEY) {
          due.add(entry);
        }
      }
      Future<Integer> chain = Future.succeededFuture(0);
      for (JsonObject entry : due) {
        chain = chain.compose(n -> claimAndComplete(lane, key, entry).map(done -> done ? n + 1 : n));
      }
      boolean mayRelease = due.size() == parked.size();
      return chain.compose(n -> !mayRelease ? Future.succeededFuture(n)
          : redis.<Long>call(c -> c.hlen(key))
              .compose(left -> left > 0 ? Future.succeededFuture(n) : candidate.release().get().map(n)));
    });
  }

  private Future<Boolean> claimAndComplete(Lane lane, String outboxKey, JsonObject entry) {
    String changeId = entry.getString(CHANGE_ID);
    String lease = Keys.auditOutboxLease(outboxKey, changeId);
    return redis.<String>call(c -> c.set(lease, "1", SetArgs.Builder.nx().ex(LEASE_SECONDS))).compose(ok -> {
      if (!"OK".equals(ok)) {
        return Future.succeededFuture(false);
      }
      log.warn("completing change {} left in the audit outbox {}", changeId, outboxKey);
      // read it again under the lease: the writer may have finished meanwhile; the lease only
      // keeps two sweepers from completing it at once, so it ends with the attempt
      return completeIfParked(outboxKey, changeId, lane::beforeAudit, lane.beforeAuditRequired())
          .eventually(() -> redis.call(c -> c.del(lease)))
          .map(true)
          .recover(e -> {
            // one entry that cannot be completed now does not hold up the others; it stays parked
            log.warn("change {} stays in the audit outbox {} for the next sweep", changeId, outboxKey, e);
            return Future.succeededFuture(false);
          });
    });
  }
}
