package org.kinlink.gateway.messaging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.AuditOutbox;
import org.kinlink.gateway.audit.IndexedOutboxLane;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messaging lane of the shared {@link AuditOutbox}. A sent message's audit event is parked in
 * its conversation's outbox by the same script that writes the record ({@code messaging-put.lua}),
 * so the message and its event are durable together before the sender hears "sent". The chain
 * append follows right after the answer instead of before it: it is two or three durable Redis steps
 * (the batch in flight, this batch, the signed head) that the sender would otherwise wait for.
 * Whatever a dead node (or a failed append) left parked is appended by any node's sweeper after
 * {@link #GRACE}, which first puts the message on the index its write needed (the retention clock,
 * or the review queues), in case the node died before that write too; until that succeeds the entry
 * stays parked.
 */
final class MessageOutbox extends IndexedOutboxLane {
  private static final Logger log = LoggerFactory.getLogger(MessageOutbox.class);
  /**
   * Appends this node may have waiting before a sender waits for her own again: four full audit
   * batches, about half a second of sends at 2,000 a second. A slow fsync or an AOF rewrite holds
   * the chain for tens of milliseconds and leaves a backlog well short of it, which the chain works
   * off a batch per write; beyond it the chain is falling behind the sends (a node at saturation),
   * and without the wait nothing would stop the backlog, and with it how late the log is, from growing.
   */
  static final int MAX_APPENDS_AHEAD = 1024;

  /** What a parked entry says about the index its message belongs on, besides the audit event. */
  private static final String REVIEW_BY = "review_by";

  private final Clock clock;
  private final SendStages stages;
  private final Function<JsonObject, Future<Void>> indexer;
  /** Appends this node started and has not finished: what {@link #settled} waits for. */
  private final Set<Future<Void>> appending = ConcurrentHashMap.newKeySet();

  /**
   * @param indexKey where conversations with parked entries are marked ({@link Keys#MESSAGES_OUTBOX_INDEX})
   * @param indexer puts the message of a parked entry on its index ({@link #messageId}, {@link #reviewBy});
   *     must be safe to run again
   */
  MessageOutbox(Redis redis, AuditLog audit, Clock clock, SendStages stages, String indexKey,
      Function<JsonObject, Future<Void>> indexer) {
    super(redis, audit, clock, indexKey, Keys::conversationAuditOutbox);
    this.clock = clock;
    this.stages = stages;
    this.indexer = indexer;
  }

  /**
   * The parked form of a send's event. The change id is the message id: only the write that creates
   * the message parks it, so a message is on the chain once however often its send is retried.
   *
   * @param reviewBy the establishments whose review queues the held message waits on; empty when not held
   */
  JsonObject entry(String messageId, AuditEvent event, List<String> reviewBy) {
    JsonObject entry = AuditOutbox.entry(messageId, clock.millis(), event);
    return reviewBy.isEmpty() ? entry : entry.put(REVIEW_BY, new JsonArray(reviewBy));
  }

  /** The message of a parked entry: its change id. */
  static String messageId(JsonObject entry) {
    return entry.getString(AuditOutbox.CHANGE_ID);
  }

  static List<String> reviewBy(JsonObject entry) {
    List<String> out = new ArrayList<>();
    JsonArray ests = entry.getJsonArray(REVIEW_BY);
    if (ests != null) {
      ests.forEach(e -> out.add(String.valueOf(e)));
    }
    return out;
  }

  /**
   * Appends a parked entry to the chain, after its message was answered; when the index writes
   * beside the record failed, they are made again first, and the entry stays parked for the sweeper
   * until they succeed. Any failure is left to the sweeper. The answer
   * completes at once, unless this node already has {@link #MAX_APPENDS_AHEAD} appends waiting: then
   * once this one is done (appended or left to the sweeper).
   */
  Future<Void> append(String conversationId, JsonObject entry, Future<Void> indexed) {
    boolean behind = appending.size() >= MAX_APPENDS_AHEAD;
    long started = System.nanoTime();
    Future<Void> appended = outbox().completeAfter(Keys.conversationAuditOutbox(conversationId), entry,
        () -> indexed.recover(e -> indexer.apply(entry)));
    appending.add(appended);
    appended.onComplete(ar -> {
      appending.remove(appended);
      if (ar.succeeded()) {
        stages.took(SendStages.Stage.AUDIT, started);
      } else {
        log.warn("message {} is stored but its audit entry is pending (the outbox sweeper appends it)",
            messageId(entry), ar.cause());
      }
    });
    return behind ? appended.transform(ar -> Future.<Void>succeededFuture()) : Future.succeededFuture();
  }

  /** Completes once every append this node has started so far is done (tests, before reading the audit log). */
  Future<Void> settled() {
    return Future.join(new ArrayList<>(appending)).transform(ar -> Future.succeededFuture());
  }

  @Override
  public Future<Void> beforeAudit(JsonObject entry) {
    return indexer.apply(entry);
  }

  /** A message off its index would never reach security's queue, or never be deleted: it waits parked until indexed. */
  @Override
  public boolean beforeAuditRequired() {
    return true;
  }
}
