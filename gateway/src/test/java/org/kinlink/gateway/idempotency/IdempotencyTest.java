package org.kinlink.gateway.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.support.KinlinkExtension;

/** The shared idempotency component: what counts as the same request, and first answers in Redis. */
class IdempotencyTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static final JsonObject BODY = new JsonObject().put("reason", "checked")
      .put("policy", new JsonObject().put("channels", new JsonArray().add("MESSAGE")).put("oversight", "RECORDED"));
  static final JsonObject SAME_REORDERED = new JsonObject()
      .put("policy", new JsonObject().put("oversight", "RECORDED").put("channels", new JsonArray().add("MESSAGE")))
      .put("reason", "checked");

  @Test
  void theSameRequestWithItsMembersInAnotherOrderIsTheSameRequest() {
    IdempotencyKey a = IdempotencyKey.of("k", "st-1", "contact.policy.update", "ct-1", BODY, "2");
    IdempotencyKey b = IdempotencyKey.of("k", "st-1", "contact.policy.update", "ct-1", SAME_REORDERED, "2");
    assertEquals(a, b);
    assertNotEquals(a.fingerprint(), IdempotencyKey.of("k", "st-1", "contact.policy.update", "ct-1", BODY, "3").fingerprint(),
        "another version is another request");
    assertNotEquals(a.digest(), IdempotencyKey.of("k", "st-2", "contact.policy.update", "ct-1", BODY, "2").digest(),
        "one account's key never names another's answer");
    assertNull(IdempotencyKey.of(null, "st-1", "op", "t", BODY, null), "no key, no idempotency");
    DomainException bad = assertThrows(DomainException.class, () -> IdempotencyKey.of("with space", "st-1", "op", "t", BODY, null));
    assertEquals("INVALID_IDEMPOTENCY_KEY", bad.code());
  }

  @Test
  void aFirstAnswerIsKeptOnceAndAReusedKeyIsRefused() {
    IdempotencyStore store = new IdempotencyStore(kinlink.redis());
    IdempotencyKey key = IdempotencyKey.of("k-" + UUID.randomUUID(), "st-1", "person.create", "est-1", BODY, null);
    String redisKey = "kl:test:idem:" + key.digest();
    assertTrue(Gateway.await(store.find(redisKey, key)).isEmpty());
    JsonObject first = key.stored("change-1", new JsonObject().put("created", true).put("body", new JsonObject().put("id", "pe-1")));
    assertTrue(Gateway.await(store.remember(redisKey, first)));
    assertFalse(Gateway.await(store.remember(redisKey, key.stored("change-2", new JsonObject()))), "the first answer stays");
    JsonObject found = Gateway.await(store.find(redisKey, key)).orElseThrow();
    assertEquals("pe-1", IdempotencyKey.result(found).getJsonObject("body").getString("id"));
    long ttl = Gateway.<Long>await(kinlink.redis().call(c -> c.ttl(redisKey)));
    assertTrue(ttl > 23 * 3600 && ttl <= 24 * 3600, "kept 24 h: " + ttl);

    IdempotencyKey other = IdempotencyKey.of("x", "st-1", "person.create", "est-1",
        BODY.copy().put("reason", "something else"), null);
    IdempotencyKey reused = new IdempotencyKey(key.digest(), other.fingerprint());
    DomainException e = assertThrows(DomainException.class, () -> Gateway.await(store.find(redisKey, reused)));
    assertEquals("IDEMPOTENCY_KEY_REUSED", e.code());
    assertEquals(DomainException.Kind.REJECTED, e.kind());
  }
}
