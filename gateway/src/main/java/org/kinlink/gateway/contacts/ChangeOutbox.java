package org.kinlink.gateway.contacts;

import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure every committed change is audited and announced even if the node that wrote it died
 * (or Redis blinked) between the commit and the audit entry. The write script parks the change in
 * the prisoner's outbox in the same atomic step; the writer then announces it, appends the audit
 * entry and only then removes it from the outbox and answers the client. Whatever is still parked
 * after a grace period is completed by a sweeper on any node (one at a time, under a lease).
 * A change completed twice (a crash after the audit append, before the removal) gives two audit
 * entries with the same {@code change_id}; never none.
 */
public final class ChangeOutbox {
  private static final Logger log = LoggerFactory.getLogger(ChangeOutbox.class);
  private static final LuaScript ZREM_IF_SCORE = LuaScript.load("contacts-zrem-if-score");

  private final Redis redis;
  private final AuditLog audit;
  private final ContactEvents events;
  private final Clock clock;
  private final Duration grace;
  private long timer = -1;

  public ChangeOutbox(Redis redis, AuditLog audit, ContactEvents events, Clock clock, Duration grace) {
    this.redis = redis;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
    this.grace = grace;
  }

  /** The outbox entry of a change: its audit event and its announcement. */
  static JsonObject entry(String changeId, String prisonerId, long atMillis, JsonObject auditEvent, ContactChange change) {
    return new JsonObject().put("change_id", changeId).put("prisoner_id", prisonerId).put("at", atMillis)
        .put("audit", auditEvent).put("change", change.toJson());
  }

  /** Announces the change, appends its audit entry, then removes it from the outbox. */
  Future<Void> complete(JsonObject entry, long revision) {
    ContactChange change = ContactChange.fromJson(entry.getJsonObject("change"));
    if (revision > 0) {
      change = change.withRevision(revision);
    }
    String prisonerId = entry.getString("prisoner_id");
    String changeId = entry.getString("change_id");
    // announcing first: the change is already committed, so the sooner other nodes act on it the safer
    return events.announce(change)
        .recover(e -> {
          log.warn("announcing change {} failed; the audit entry is still written and peers reconcile", changeId, e);
          return Future.succeededFuture();
        })
        .compose(v -> audit.append(AuditJson.fromJson(entry.getJsonObject("audit"))))
        .compose(v -> redis.call(c -> c.hdel(Keys.contactsOutbox(prisonerId), changeId)))
        .mapEmpty();
  }

  /** Completes one parked change if it is still parked (used when a retry finds its first answer). */
  Future<Void> completeIfParked(String prisonerId, String changeId) {
    return redis.call(c -> c.hget(Keys.contactsOutbox(prisonerId), changeId))
        .compose(json -> json == null ? Future.succeededFuture() : complete(new JsonObject(json), 0));
  }

  /** Starts sweeping every {@code every}. */
  public void start(Vertx vertx, Duration every) {
    timer = vertx.setPeriodic(every.toMillis(), id -> sweep().onFailure(e -> log.warn("outbox sweep failed", e)));
  }

  /** Stops sweeping. */
  public void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One pass: completes parked changes older than the grace period; answers how many it completed. */
  public Future<Integer> sweep() {
    long cutoff = clock.millis() - grace.toMillis();
    return redis.<List<ScoredValue<String>>>call(c -> c.zrangebyscoreWithScores(Keys.CONTACTS_OUTBOX_INDEX,
            Range.create(Double.NEGATIVE_INFINITY, (double) cutoff), io.lettuce.core.Limit.create(0, 100)))
        .compose(prisoners -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (ScoredValue<String> p : prisoners) {
            chain = chain.compose(n -> sweepPrisoner(p.getValue(), p.getScore(), cutoff).map(m -> n + m));
          }
          return chain;
        });
  }

  private Future<Integer> sweepPrisoner(String prisonerId, double seenScore, long cutoff) {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.contactsOutbox(prisonerId))).compose(parked -> {
      List<JsonObject> due = new ArrayList<>();
      for (String json : parked.values()) {
        JsonObject entry = new JsonObject(json);
        if (entry.getLong("at", 0L) <= cutoff) {
          due.add(entry);
        }
      }
      Future<Integer> chain = Future.succeededFuture(0);
      for (JsonObject entry : due) {
        chain = chain.compose(n -> claimAndComplete(prisonerId, entry).map(done -> done ? n + 1 : n));
      }
      boolean mayRelease = due.size() == parked.size();
      return chain.compose(n -> !mayRelease ? Future.succeededFuture(n)
          : redis.<Long>call(c -> c.hlen(Keys.contactsOutbox(prisonerId)))
              .compose(left -> left > 0 ? Future.succeededFuture(n)
                  : redis.<Long>eval(ZREM_IF_SCORE, ScriptOutputType.INTEGER, new String[] {Keys.CONTACTS_OUTBOX_INDEX},
                      prisonerId, Double.toString(seenScore)).map(n)));
    });
  }

  private Future<Boolean> claimAndComplete(String prisonerId, JsonObject entry) {
    String changeId = entry.getString("change_id");
    String lease = Keys.contactsOutboxLease(prisonerId, changeId);
    return redis.<String>call(c -> c.set(lease, "1", SetArgs.Builder.nx().ex(60))).compose(ok -> {
      if (!"OK".equals(ok)) {
        return Future.succeededFuture(false);
      }
      log.warn("completing change {} of {} left in the outbox (audit + announcement)", changeId, prisonerId);
      // read it again under the lease: the writer may have finished meanwhile
      return completeIfParked(prisonerId, changeId).map(true);
    });
  }
}
