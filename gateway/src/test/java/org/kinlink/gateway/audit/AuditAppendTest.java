package org.kinlink.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.support.KinlinkExtension;

class AuditAppendTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  static Redis redis;

  @BeforeAll
  static void connect() {
    redis = kinlink.redis();
  }

  @Test
  void appendsLinkEachEntryToThePreviousOne() {
    String ns = "kl:{audit-" + UUID.randomUUID() + "}";
    RedisAuditLog log = new RedisAuditLog(redis, ns, kinlink.clock());
    AuditEntry first = Gateway.await(log.append(AuditEvent.of("auth.login").outcome("FAILED").detail("n", 1).build()));
    AuditEntry second = Gateway.await(log.append(AuditEvent.of("auth.login").actor("a1", "SECURITY").establishment("styal").build()));
    assertEquals(1, first.seq());
    assertEquals(ChainHash.GENESIS, first.prevHash());
    assertEquals(2, second.seq());
    assertEquals(first.hash(), second.prevHash());
    String stored = Gateway.await(redis.call(c -> c.hget(Keys.auditEntries(ns), "2")));
    AuditEntry decoded = AuditCodec.decode(stored);
    assertEquals(second, decoded);
    assertEquals(second.hash(), ChainHash.of(second.prevHash(), CanonicalJson.bytes(AuditCodec.canonicalOf(new JsonObject(stored)))));
  }

  @Test
  void concurrentAppendsAreBatchedIntoOneChain() {
    String ns = "kl:{audit-" + UUID.randomUUID() + "}";
    RedisAuditLog log = new RedisAuditLog(redis, ns, kinlink.clock());
    List<Future<AuditEntry>> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      all.add(log.append(AuditEvent.of("test.concurrent").detail("i", i).build()));
    }
    Gateway.await(Future.all(all));
    assertEquals("500", Gateway.await(redis.call(c -> c.hget(Keys.auditHead(ns), "seq"))));
    assertEquals(500L, (long) Gateway.<Long>await(redis.call(c -> c.hlen(Keys.auditEntries(ns)))));
  }
}
