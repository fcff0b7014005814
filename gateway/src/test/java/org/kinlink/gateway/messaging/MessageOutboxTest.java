package org.kinlink.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.audit.AuditEntry;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.audit.AuditLog;
import org.kinlink.gateway.audit.IndexedOutboxLane;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.redis.StoreUnavailableException;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * What a send leaves when its node dies right after writing the message (the record with its parked
 * audit event, and nothing else) is finished by any node's sweeper: a held message reaches security's
 * queue, a delivered one gets its retention clock, and each is on the audit chain once. A node whose
 * chain appends fall four batches behind makes its senders wait for their own again. Security's queue
 * keeps an entry whose message is still being written. A held message that cannot be queued stays
 * parked, off the chain, until a sweep can queue it.
 */
class MessageOutboxTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void theSweeperQueuesAndAuditsWhatADeadNodeLeftOnceEach() {
    Gateway gateway = kinlink.gateway();
    Redis redis = kinlink.redis();
    MessageStore store = new MessageStore(redis);
    SendIndexes indexes = new SendIndexes(store, gateway.services().messaging().retention());
    // an index of its own, so the node's own sweeper (on the same clock) leaves these entries to this one
    MessageOutbox outbox = new MessageOutbox(redis, gateway.services().audit(), kinlink.clock(),
        new SendStages(new SimpleMeterRegistry()), "kl:test-outbox-index:" + UUID.randomUUID(), indexes::index);
    String est = "OUTBOX-" + UUID.randomUUID();
    String conv = "ct-outbox-" + UUID.randomUUID();
    String heldKey = "a".repeat(32);
    String sentKey = "b".repeat(32);
    String heldId = MessagingService.messageId(conv, heldKey);
    String sentId = MessagingService.messageId(conv, sentKey);
    JsonObject heldEntry = outbox.entry(heldId, event(est, heldId, "HELD"), List.of(est));
    JsonObject sentEntry = outbox.entry(sentId, event(est, sentId, "DELIVERED"), List.of());
    // what the dead node got done: the mark, then each record with its parked event
    Gateway.await(outbox.mark(conv));
    assertTrue(Gateway.await(store.create(conv, heldKey, new JsonObject().put("id", heldId).put("status", "HELD"), heldEntry)).written());
    assertTrue(Gateway.await(store.create(conv, sentKey, new JsonObject().put("id", sentId).put("status", "SENT"), sentEntry)).written());

    assertEquals(0, Gateway.await(outbox.sweep()), "a writer still has the grace to finish its own");
    kinlink.clock().advance(MessageOutbox.GRACE.plusSeconds(1));
    assertEquals(2, Gateway.await(outbox.sweep()));

    assertEquals((double) heldEntry.getLong("at"), Gateway.await(redis.<Double>call(c -> c.zscore(Keys.reviewQueue(est), heldId))),
        "the held message waits in security's queue from when it was sent");
    assertEquals((double) sentEntry.getLong("at"), Gateway.await(redis.<Double>call(c -> c.zscore(Keys.MESSAGE_RETENTION, sentId))),
        "the delivered one's retention time runs from when it was sent");
    assertNull(Gateway.await(redis.<Double>call(c -> c.zscore(Keys.MESSAGE_RETENTION, heldId))),
        "a held message's retention waits for the review");
    assertEquals(List.of(heldId, sentId), audited(redis, est));
    assertEquals(0L, Gateway.await(redis.<Long>call(c -> c.hlen(Keys.conversationAuditOutbox(conv)))));

    // a second sweeper (or the same one again) finds nothing left and appends nothing twice
    kinlink.clock().advance(MessageOutbox.GRACE);
    Gateway.await(outbox.sweep());
    assertEquals(List.of(heldId, sentId), audited(redis, est));
  }

  @Test
  void aHeldMessageWhoseQueueCannotBeWrittenStaysParkedOffTheChainUntilItCan() {
    Gateway gateway = kinlink.gateway();
    Redis redis = kinlink.redis();
    MessageStore store = new MessageStore(redis);
    SendIndexes indexes = new SendIndexes(store, gateway.services().messaging().retention());
    AtomicBoolean queueWritable = new AtomicBoolean(false);
    MessageOutbox outbox = new MessageOutbox(redis, gateway.services().audit(), kinlink.clock(),
        new SendStages(new SimpleMeterRegistry()), "kl:test-outbox-index:" + UUID.randomUUID(),
        parked -> queueWritable.get() ? indexes.index(parked)
            : Future.failedFuture(new StoreUnavailableException("the review queue's write timed out", null)));
    String est = "OUTBOX-" + UUID.randomUUID();
    String conv = "ct-unqueued-" + UUID.randomUUID();
    String key = "d".repeat(32);
    String id = MessagingService.messageId(conv, key);
    JsonObject entry = outbox.entry(id, event(est, id, "HELD"), List.of(est));
    Gateway.await(outbox.mark(conv));
    assertTrue(Gateway.await(store.create(conv, key, new JsonObject().put("id", id).put("status", "HELD"), entry)).written());

    // the sender's node: the queue write beside the record failed, and so does its second try
    Gateway.await(outbox.append(conv, entry, Future.failedFuture(new StoreUnavailableException("timed out", null))));
    Gateway.await(outbox.settled());
    kinlink.clock().advance(MessageOutbox.GRACE.plusSeconds(1));
    assertEquals(0, Gateway.await(outbox.sweep()), "a sweeper cannot queue it either");
    assertEquals(List.of(), audited(redis, est), "an entry on the chain would be taken for a message security can see");
    assertEquals(1L, Gateway.await(redis.<Long>call(c -> c.hlen(Keys.conversationAuditOutbox(conv)))), "it stays parked");

    queueWritable.set(true);
    kinlink.clock().advance(IndexedOutboxLane.SWEEP_EVERY);
    assertEquals(1, Gateway.await(outbox.sweep()));
    assertEquals((double) entry.getLong("at"), Gateway.await(redis.<Double>call(c -> c.zscore(Keys.reviewQueue(est), id))),
        "the next sweep queues it for security");
    assertEquals(List.of(id), audited(redis, est));
    assertEquals(0L, Gateway.await(redis.<Long>call(c -> c.hlen(Keys.conversationAuditOutbox(conv)))));
  }

  @Test
  void sendersWaitForTheirOwnAppendOnceTheNodeIsABatchBehind() {
    List<Promise<AuditEntry>> stalled = new ArrayList<>();
    AuditLog slowChain = event -> {
      Promise<AuditEntry> p = Promise.promise();
      synchronized (stalled) {
        stalled.add(p);
      }
      return p.future();
    };
    MessageOutbox outbox = new MessageOutbox(kinlink.redis(), slowChain, kinlink.clock(),
        new SendStages(new SimpleMeterRegistry()), "kl:test-outbox-index:" + UUID.randomUUID(), parked -> Future.succeededFuture());
    String conv = "ct-paced-" + UUID.randomUUID();
    List<Future<Void>> answers = new ArrayList<>();
    for (int i = 0; i <= MessageOutbox.MAX_APPENDS_AHEAD; i++) {
      String id = MessagingService.messageId(conv, String.format("%032x", i));
      answers.add(outbox.append(conv, outbox.entry(id, event("EST", id, "DELIVERED"), List.of()), Future.succeededFuture()));
    }
    for (int i = 0; i < MessageOutbox.MAX_APPENDS_AHEAD; i++) {
      assertTrue(answers.get(i).succeeded(), "within a batch of the chain, a sender is answered at once: " + i);
    }
    Future<Void> behind = answers.get(MessageOutbox.MAX_APPENDS_AHEAD);
    assertFalse(behind.isComplete(), "a batch behind, the next sender waits for her own append");
    Future<Void> settled = outbox.settled();
    assertFalse(settled.isComplete());

    synchronized (stalled) {
      stalled.forEach(p -> p.complete(null));
    }
    Gateway.await(behind);
    Gateway.await(settled);
  }

  @Test
  void securitysQueueKeepsAMessageWhoseRecordIsStillBeingWritten() {
    Gateway gateway = kinlink.gateway();
    MessagingFixture f = new MessagingFixture(gateway, kinlink.client());
    String security = f.security();
    // queued beside its record's write, which has not landed yet (or never will: its node died)
    String id = MessagingService.messageId("ct-queued-" + UUID.randomUUID().toString().substring(0, 8), "c".repeat(32));
    String queue = Keys.reviewQueue(f.auth.est);
    Gateway.await(kinlink.redis().<Long>call(c -> c.zadd(queue, (double) kinlink.clock().millis(), id)));

    assertTrue(f.reviews(security).getJsonArray("items").isEmpty(), "nothing to show yet");
    assertTrue(Gateway.await(kinlink.redis().<Double>call(c -> c.zscore(queue, id))) != null,
        "but it stays queued while its write may still land");
    kinlink.clock().advance(MessageOutbox.GRACE.plusSeconds(1));
    f.reviews(security);
    assertNull(Gateway.await(kinlink.redis().<Double>call(c -> c.zscore(queue, id))),
        "once the write is long over, an entry with no message is dropped (a sweeper queues a real one again)");
  }

  private static AuditEvent event(String est, String messageId, String outcome) {
    return AuditEvent.of("message.send").actor("pr-outbox-test", "PRISONER").establishment(est).outcome(outcome)
        .detail("message_id", messageId).build();
  }

  /** The message ids of the establishment's message.send entries, sorted (a sweeper appends in no set order). */
  private static List<String> audited(Redis redis, String est) {
    List<String> seqs = Gateway.await(redis.call(c -> c.zrange(Keys.auditByEstablishment(Keys.AUDIT, est), 0, -1)));
    List<String> out = new ArrayList<>();
    for (String seq : seqs) {
      JsonObject e = new JsonObject(Gateway.await(redis.<String>call(c -> c.hget(Keys.auditEntries(Keys.AUDIT), seq))));
      out.add(e.getJsonObject("details").getString("message_id"));
    }
    out.sort(null);
    return out;
  }
}
