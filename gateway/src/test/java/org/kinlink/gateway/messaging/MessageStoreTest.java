package org.kinlink.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.support.KinlinkExtension;

/** Two writers of one message record never overwrite each other, a record comes with its parked audit event, and a change sends only what it changes. */
class MessageStoreTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aChangeAppliesOnlyToTheVersionItReadAndKeepsWhatItDidNotTouch() {
    MessageStore store = new MessageStore(kinlink.redis());
    String conv = "ct-store-" + UUID.randomUUID();
    JsonObject record = new JsonObject().put("id", "m1").put("status", "SENT").put("body", "sealed").put("note", "x");
    JsonObject parked = org.kinlink.gateway.audit.AuditOutbox.entry("m1", 1L,
        org.kinlink.gateway.audit.AuditEvent.of("message.send").outcome("DELIVERED").build());
    PutMessageScript.Result created = Gateway.await(store.create(conv, "k1", record, parked));
    assertTrue(created.written());
    String outbox = org.kinlink.gateway.redis.Keys.conversationAuditOutbox(conv);
    assertEquals(parked, new JsonObject(Gateway.await(kinlink.redis().<String>call(c -> c.hget(outbox, "m1")))),
        "the audit event is parked in the same step as the record");
    Gateway.await(kinlink.redis().<Long>call(c -> c.hdel(outbox, "m1")));
    assertFalse(Gateway.await(store.create(conv, "k1", record.copy().put("body", "other"), parked)).written(),
        "the same key never makes a second record");
    assertEquals(0L, Gateway.await(kinlink.redis().<Long>call(c -> c.hlen(outbox))), "nor parks a second audit event");

    JsonObject read = Gateway.await(store.get(conv, "k1")).orElseThrow();
    assertEquals(1, read.getInteger("v"));
    JsonObject delivered = read.copy().put("status", "DELIVERED").put("delivered_at", "2026-12-01T10:00:00Z");
    PutMessageScript.Result changed = Gateway.await(store.change(conv, "k1", read, delivered));
    assertTrue(changed.written());
    assertEquals(2, changed.record().getInteger("v"));
    // a receipt writes its few status fields beside the record, not the whole record (with its body) again
    String messages = org.kinlink.gateway.redis.Keys.conversationMessages(conv);
    String stored = Gateway.await(kinlink.redis().<String>call(c -> c.hget(messages, "k1")));
    assertTrue(stored.contains("\"status\":\"SENT\"") && stored.contains("sealed"), stored);
    String status = Gateway.await(kinlink.redis().<String>call(c -> c.hget(messages, "k1" + MessageStore.STATUS_SUFFIX)));
    assertFalse(status.contains("sealed"), status);
    JsonObject seen = Gateway.await(store.get(conv, "k1")).orElseThrow();
    assertEquals("DELIVERED", seen.getString("status"));
    assertEquals("2026-12-01T10:00:00Z", seen.getString("delivered_at"));
    assertEquals(changed.record().getLong("feed"), seen.getLong("feed"), "the answer's record is what is stored");
    assertTrue(seen.getLong("feed") > created.record().getLong("feed"), "a change moves the record on in the feed");
    assertEquals(List.of("DELIVERED"), Gateway.await(store.all(conv)).stream().map(r -> r.getString("status")).toList(),
        "a conversation's records come merged, one each");
    assertEquals(seen, Gateway.await(store.changedSince(conv, created.record().getLong("feed"), 10)).get(0));

    // a second writer that read version 1 too loses, and is told what is there now
    PutMessageScript.Result stale = Gateway.await(store.change(conv, "k1", read, read.copy().put("status", "READ")));
    assertFalse(stale.written());
    assertEquals("DELIVERED", stale.record().getString("status"));

    // a change of more than status (here a removed field) writes the record whole again, status included
    JsonObject trimmed = seen.copy();
    trimmed.remove("note");
    assertTrue(Gateway.await(store.change(conv, "k1", seen, trimmed)).written());
    assertNull(Gateway.await(kinlink.redis().<String>call(c -> c.hget(messages, "k1" + MessageStore.STATUS_SUFFIX))));
    JsonObject last = Gateway.await(store.get(conv, "k1")).orElseThrow();
    assertEquals("DELIVERED", last.getString("status"));
    assertEquals("sealed", last.getString("body"), "a field the change did not touch stays");
    assertNull(last.getValue("note"), "a field the change removed is gone");
    assertEquals(3, last.getInteger("v"));
  }
}
