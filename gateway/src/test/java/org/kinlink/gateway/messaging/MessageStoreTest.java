package org.kinlink.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.support.KinlinkExtension;

/** Two writers of one message record never overwrite each other, and a change sends only what it changes. */
class MessageStoreTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  @Test
  void aChangeAppliesOnlyToTheVersionItReadAndKeepsWhatItDidNotTouch() {
    MessageStore store = new MessageStore(kinlink.redis());
    String conv = "ct-store-" + UUID.randomUUID();
    JsonObject record = new JsonObject().put("id", "m1").put("status", "SENT").put("body", "sealed").put("note", "x");
    PutMessageScript.Result created = Gateway.await(store.create(conv, "k1", record));
    assertTrue(created.written());
    assertFalse(Gateway.await(store.create(conv, "k1", record.copy().put("body", "other"))).written(),
        "the same key never makes a second record");

    JsonObject read = Gateway.await(store.get(conv, "k1")).orElseThrow();
    assertEquals(1, read.getInteger("v"));
    JsonObject delivered = read.copy().put("status", "DELIVERED").put("delivered_at", "2026-12-01T10:00:00Z");
    delivered.remove("note");
    PutMessageScript.Result changed = Gateway.await(store.change(conv, "k1", read, delivered));
    assertTrue(changed.written());
    assertEquals(2, changed.record().getInteger("v"));

    // a second writer that read version 1 too loses, and is told what is there now
    PutMessageScript.Result stale = Gateway.await(store.change(conv, "k1", read, read.copy().put("status", "READ")));
    assertFalse(stale.written());
    assertEquals("DELIVERED", stale.record().getString("status"));

    JsonObject stored = Gateway.await(store.get(conv, "k1")).orElseThrow();
    assertEquals("DELIVERED", stored.getString("status"));
    assertEquals("2026-12-01T10:00:00Z", stored.getString("delivered_at"));
    assertEquals("sealed", stored.getString("body"), "a field the change did not touch stays");
    assertNull(stored.getValue("note"), "a field the change removed is gone");
    assertEquals(changed.record().getLong("feed"), stored.getLong("feed"), "the answer's record is what is stored");
    assertTrue(stored.getLong("feed") > created.record().getLong("feed"), "a change moves the record on in the feed");
  }
}
